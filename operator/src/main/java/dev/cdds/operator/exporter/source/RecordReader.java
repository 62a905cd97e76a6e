package dev.cdds.operator.exporter.source;

import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads the selected rows in the open transaction and hands each, encoded, to a sink: CSV as
 * PostgreSQL formats it (COPY, as psql's \copy does), or JSON lines through a server-side cursor.
 */
public final class RecordReader {
  private static final int FETCH_SIZE = 1000;

  private RecordReader() {}

  /**
   * @param sqlAscii the database stores text unchecked: JSON text columns come as bytes, so that
   *     text that is not UTF-8 makes its row a bad record instead of failing the whole cursor
   */
  public static void read(
      Connection db,
      Selection selection,
      boolean csv,
      boolean sqlAscii,
      BadRecords bad,
      RecordSink sink)
      throws SQLException, IOException {
    Selection fitting =
        selection.table() == SourceTable.ATTACHMENTS
            ? rejectLargeAttachments(db, selection, bad, sink)
            : selection;
    if (csv) {
      copyCsv(db, fitting, sink);
    } else {
      selectJsonLines(db, fitting, sink, bad, sqlAscii);
    }
  }

  /**
   * Attachments too large for spec.output.maxRecordSize, known from their length before their
   * content is read (PostgreSQL tells a value's length without reading it from TOAST): a 300 MB
   * file is rejected by id, never held in memory. The others are what remains to read.
   */
  private static Selection rejectLargeAttachments(
      Connection db, Selection attachments, BadRecords bad, RecordSink out)
      throws SQLException, IOException {
    // Content is written as base64, 4 bytes for every 3.
    long largestContent = bad.maxRecordSize() / 4 * 3;
    String length = "coalesce(octet_length(content), 0)";
    try (Statement query = db.createStatement();
        ResultSet rs =
            query.executeQuery(
                "SELECT id, "
                    + length
                    + " "
                    + attachments.where(length + " > " + largestContent).fromInOrder())) {
      while (rs.next()) {
        bad.reject(
            SourceTable.ATTACHMENTS.recordType(),
            rs.getLong(1),
            "content of "
                + rs.getLong(2)
                + " bytes is larger than spec.output.maxRecordSize once base64-encoded");
        out.skipped();
      }
    }
    return attachments.where(length + " <= " + largestContent);
  }

  private static void selectJsonLines(
      Connection db, Selection selection, RecordSink out, BadRecords bad, boolean sqlAscii)
      throws SQLException, IOException {
    SourceTable table = selection.table();
    Map<String, String> types = columnTypes(db, selection);
    var format = new JsonLines(table.columns(), types, sqlAscii);
    try (Statement query = db.createStatement()) {
      // Attachments are large: a handful of rows a fetch keeps memory flat.
      query.setFetchSize(table == SourceTable.ATTACHMENTS ? 4 : FETCH_SIZE);
      try (ResultSet rs =
          query.executeQuery("SELECT " + format.selectList() + " " + selection.fromInOrder())) {
        var buffer = new RecordBuffer();
        while (rs.next()) {
          buffer.reset();
          try {
            format.write(rs, buffer);
          } catch (JsonLines.MalformedText e) {
            bad.reject(table.recordType(), rs.getLong(1), e.getMessage());
            out.skipped();
            continue;
          }
          out.record(buffer.array(), buffer.size());
        }
      }
    }
  }

  /**
   * Rows formatted by PostgreSQL itself; see {@link CsvCopy}. From a SQL_ASCII database the session
   * reads bytes unconverted, and each record's UTF-8 is checked by the sink's {@link BadRecords}.
   */
  private static void copyCsv(Connection db, Selection selection, RecordSink out)
      throws SQLException, IOException {
    Map<String, String> types = columnTypes(db, selection);
    var records = new CsvCopy.Records(out, CsvCopy.timestampColumns(selection.table(), types));
    CopyOut copy =
        db.unwrap(PGConnection.class).getCopyAPI().copyOut(CsvCopy.statement(selection, types));
    try {
      for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
        records.row(row);
      }
    } catch (IOException | RuntimeException e) {
      // The sink failed (a bad record that fails the run, a full disk): the COPY is still running.
      // As pgjdbc's own CopyManager.copyOut does it: cancel, then read what is left until the
      // server has stopped, so that the connection is usable and closes without waiting.
      if (copy.isActive()) {
        copy.cancelCopy();
      }
      drain(copy);
      throw e;
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** Reads a cancelled COPY to its end: the error that ends it is the cancel itself. */
  private static void drain(CopyOut copy) {
    try {
      byte[] row;
      do {
        row = copy.readFromCopy();
      } while (row != null);
    } catch (SQLException cancelled) {
      // "canceling statement due to user request", or the stream already closed.
    }
  }

  /** Each column's type name, as PostgreSQL reports it ({@code int8}, {@code jsonb}, …). */
  private static Map<String, String> columnTypes(Connection db, Selection selection)
      throws SQLException {
    SourceTable table = selection.table();
    SourceNames names = selection.names();
    Map<String, String> types = new HashMap<>();
    try (var probe = db.createStatement();
        var rs =
            probe.executeQuery(
                "SELECT "
                    + String.join(", ", table.columns())
                    + " FROM "
                    + names.relation(table)
                    + " LIMIT 0")) {
      for (int i = 0; i < table.columns().size(); i++) {
        types.put(table.columns().get(i), rs.getMetaData().getColumnTypeName(i + 1));
      }
    }
    return types;
  }

  /** A reusable record buffer whose bytes are read in place, not copied. */
  private static final class RecordBuffer extends ByteArrayOutputStream {
    RecordBuffer() {
      super(4096);
    }

    byte[] array() {
      return buf;
    }
  }
}
