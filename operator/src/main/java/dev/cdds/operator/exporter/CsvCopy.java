package dev.cdds.operator.exporter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CSV straight from PostgreSQL: {@code COPY (SELECT …) TO STDOUT (FORMAT csv)}, as {@code psql
 * \copy} does, with each column rendered in SQL exactly as {@link JsonLines} writes it. The
 * exporter only cuts the stream into records (a line end outside quotes), turns those line ends
 * into CRLF, counts them and hands them to the parts.
 */
final class CsvCopy {
  private CsvCopy() {}

  /** The COPY statement for the selected rows, each column rendered for CSV from its type. */
  static String statement(Selection selection, Map<String, String> types) {
    List<String> columns = new ArrayList<>();
    for (String column : selection.table().columns()) {
      columns.add(
          switch (types.get(column)) {
            case "timestamptz", "timestamp" ->
                "replace(replace(" + column + "::text, ' ', 'T'), '+00', 'Z')";
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

  /** Receives COPY's bytes and calls {@code sink} once per complete CSV record, CRLF-ended. */
  static final class Records extends OutputStream {
    private final RecordSink sink;
    private byte[] record = new byte[4096];
    private int length;
    private boolean quoted;

    Records(RecordSink sink) {
      this.sink = sink;
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
        } else if (b == '\n' && !quoted) {
          append((byte) '\r');
          append((byte) '\n');
          sink.record(record, length);
          length = 0;
          continue;
        }
        append(b);
      }
    }

    private void append(byte b) {
      if (length == record.length) {
        record = java.util.Arrays.copyOf(record, record.length * 2);
      }
      record[length++] = b;
    }
  }

  /** Takes one record's bytes; the array is reused after the call returns. */
  @FunctionalInterface
  interface RecordSink {
    void record(byte[] bytes, int length) throws IOException;
  }
}
