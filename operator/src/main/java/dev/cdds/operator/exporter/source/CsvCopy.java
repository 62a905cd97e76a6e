package dev.cdds.operator.exporter.source;

import dev.cdds.operator.runcontract.SourceTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CSV straight from PostgreSQL: {@code COPY (SELECT …) TO STDOUT (FORMAT csv)}, as {@code psql
 * \copy} does, each column rendered as {@link JsonLines} writes it. The exporter ends each row with
 * CRLF and writes timestamps as RFC 3339 ({@code 2026-01-05 12:34:56.5+00} → {@code
 * 2026-01-05T12:34:56.5Z}) as it goes: in the exporter's thread rather than as SQL in the
 * database's, which is the busier of the two.
 */
public final class CsvCopy {
  private CsvCopy() {}

  /** The COPY statement for the selected rows, each column rendered for CSV from its type. */
  public static String statement(Selection selection, Map<String, String> types) {
    List<String> columns = new ArrayList<>();
    for (String column : selection.table().columns()) {
      columns.add(
          switch (types.get(column)) {
            case "_text", "_varchar" -> "to_json(" + column + ")::text";
            // PostgreSQL's base64 breaks lines every 76 characters; the JSON lines do not.
            case "bytea" -> "translate(encode(" + column + ", 'base64'), E'\\n', '')";
            default -> column;
          });
    }
    return "COPY (SELECT "
        + String.join(", ", columns)
        + " "
        + selection.fromInOrder()
        + ") TO STDOUT WITH (FORMAT csv)";
  }

  /** Which columns, in select order, hold timestamps (written in UTC by the session). */
  public static boolean[] timestampColumns(SourceTable table, Map<String, String> types) {
    boolean[] timestamps = new boolean[table.columns().size()];
    for (int i = 0; i < timestamps.length; i++) {
      String type = types.get(table.columns().get(i));
      timestamps[i] = type.equals("timestamptz") || type.equals("timestamp");
    }
    return timestamps;
  }

  /**
   * Turns COPY's rows into CSV records: each CRLF-ended, its timestamps as RFC 3339. PostgreSQL
   * sends every row of a {@code COPY TO} as one CopyData message of its own (protocol, "CopyData":
   * "messages sent from the backend will always correspond to single data rows"), so a record is
   * one message, quoted line ends and all; only the fields up to the last timestamp are looked at.
   */
  public static final class Records {
    private final RecordSink sink;
    private final boolean[] timestamps;
    private final int lastTimestamp;
    private byte[] record = new byte[4096];

    /** {@code timestamps}: the columns to rewrite as RFC 3339, see {@link #timestampColumns}. */
    public Records(RecordSink sink, boolean[] timestamps) {
      this.sink = sink;
      this.timestamps = timestamps.clone();
      int last = -1;
      for (int i = 0; i < timestamps.length; i++) {
        if (timestamps[i]) {
          last = i;
        }
      }
      this.lastTimestamp = last;
    }

    /** One row as COPY sent it, ending in its line feed. */
    public void row(byte[] row) throws IOException {
      if (row.length == 0 || row[row.length - 1] != '\n') {
        throw new IOException("a row of COPY does not end in a line feed");
      }
      int length = row.length - 1;
      if (record.length < length + 2) {
        record = new byte[Math.max(length + 2, record.length * 2)];
      }
      System.arraycopy(row, 0, record, 0, length);
      length = rewriteTimestamps(length);
      record[length] = '\r';
      record[length + 1] = '\n';
      sink.record(record, length + 2);
    }

    /** Rewrites the timestamp fields of the record in place; returns its new length. */
    private int rewriteTimestamps(int length) {
      boolean quoted = false;
      int field = 0;
      int fieldStart = 0;
      // i == length ends the last field as a comma would.
      for (int i = 0; i <= length && field <= lastTimestamp; i++) {
        if (i < length && record[i] == '"') {
          quoted = !quoted;
        } else if (i == length || (!quoted && record[i] == ',')) {
          if (timestamps[field] && rfc3339(fieldStart, i, length)) {
            length -= 2;
            i -= 2;
          }
          field++;
          fieldStart = i + 1;
        }
      }
      return length;
    }

    /**
     * {@code 2026-01-05 12:34:56.5+00} becomes {@code 2026-01-05T12:34:56.5Z}, two bytes shorter;
     * anything else (a null, a year beyond 9999) is left as PostgreSQL wrote it.
     */
    private boolean rfc3339(int start, int end, int length) {
      if (end - start < 22
          || record[start + 10] != ' '
          || record[end - 3] != '+'
          || record[end - 2] != '0'
          || record[end - 1] != '0') {
        return false;
      }
      record[start + 10] = 'T';
      record[end - 3] = 'Z';
      System.arraycopy(record, end, record, end - 2, length - end);
      return true;
    }
  }
}
