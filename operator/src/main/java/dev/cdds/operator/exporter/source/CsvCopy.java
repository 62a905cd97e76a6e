package dev.cdds.operator.exporter.source;

import dev.cdds.operator.runcontract.SourceTable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CSV straight from PostgreSQL: {@code COPY (SELECT …) TO STDOUT (FORMAT csv)}, as {@code psql
 * \copy} does, each column rendered as {@link JsonLines} writes it. The exporter cuts the stream
 * into records (a line end outside quotes), turns those line ends into CRLF, and writes timestamps
 * as RFC 3339 ({@code 2026-01-05 12:34:56.5+00} → {@code 2026-01-05T12:34:56.5Z}) as it goes: in
 * the exporter's thread rather than as SQL in the database's, which is the busier of the two.
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

  /** Receives COPY's bytes and calls {@code sink} once per complete CSV record, CRLF-ended. */
  public static final class Records extends OutputStream {
    private final RecordSink sink;
    private final boolean[] timestamps;
    private byte[] record = new byte[4096];
    private int length;
    private boolean quoted;
    private int field;
    private int fieldStart;

    /** {@code timestamps}: the columns to rewrite as RFC 3339, see {@link #timestampColumns}. */
    public Records(RecordSink sink, boolean[] timestamps) {
      this.sink = sink;
      this.timestamps = timestamps;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws IOException {
      for (int i = offset; i < offset + count; i++) {
        byte b = bytes[i];
        if (b == '"') {
          quoted = !quoted;
        } else if (!quoted && b == ',') {
          endField();
          append(b);
          field++;
          fieldStart = length;
          continue;
        } else if (!quoted && b == '\n') {
          endField();
          append((byte) '\r');
          append((byte) '\n');
          sink.record(record, length);
          length = 0;
          field = 0;
          fieldStart = 0;
          continue;
        }
        append(b);
      }
    }

    /**
     * {@code 2026-01-05 12:34:56.5+00} becomes {@code 2026-01-05T12:34:56.5Z}; anything else (a
     * null, a year beyond 9999) is left as PostgreSQL wrote it.
     */
    private void endField() {
      if (field >= timestamps.length || !timestamps[field]) {
        return;
      }
      int size = length - fieldStart;
      if (size >= 22
          && record[fieldStart + 10] == ' '
          && record[length - 3] == '+'
          && record[length - 2] == '0'
          && record[length - 1] == '0') {
        record[fieldStart + 10] = 'T';
        length -= 2;
        record[length - 1] = 'Z';
      }
    }

    private void append(byte b) {
      if (length == record.length) {
        record = java.util.Arrays.copyOf(record, record.length * 2);
      }
      record[length++] = b;
    }
  }
}
