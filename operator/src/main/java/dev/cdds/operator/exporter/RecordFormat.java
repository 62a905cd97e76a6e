package dev.cdds.operator.exporter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Encodes one row as one record: a JSON object on a line (jsonl) or an RFC 4180 CSV line. Values
 * follow the column's database type: jsonb as JSON, text[] as a JSON array, timestamptz as RFC 3339
 * in UTC, numbers as numbers, null as null (an empty CSV field).
 */
public abstract sealed class RecordFormat permits RecordFormat.JsonLines, RecordFormat.Csv {
  final List<String> columns;
  final String[] types;

  RecordFormat(List<String> columns, ResultSetMetaData meta) throws SQLException {
    this.columns = columns;
    this.types = new String[columns.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = meta.getColumnTypeName(i + 1);
    }
  }

  public static RecordFormat of(String format, List<String> columns, ResultSetMetaData meta)
      throws SQLException {
    return "csv".equals(format) ? new Csv(columns, meta) : new JsonLines(columns, meta);
  }

  /**
   * RFC 3339 in UTC. The session's time zone is UTC, so PostgreSQL's own text ({@code 2026-01-05
   * 12:34:56.5+00}) needs only two characters changed; anything else is parsed.
   */
  static String timestamp(ResultSet row, int column) throws SQLException {
    String text = row.getString(column);
    if (text == null) {
      return null;
    }
    int last = text.length() - 1;
    if (text.length() >= 22
        && text.charAt(10) == ' '
        && text.charAt(4) == '-'
        && Character.isDigit(text.charAt(0))
        && text.endsWith("+00")) {
      return text.substring(0, 10) + 'T' + text.substring(11, last - 2) + 'Z';
    }
    OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
    return time.toInstant().toString();
  }

  /** Bytes at the top of every file: the CSV header row, nothing for jsonl. */
  public abstract byte[] header();

  /** Appends the current row of {@code row} to {@code out}. */
  public abstract void write(ResultSet row, ByteArrayOutputStream out)
      throws SQLException, IOException;

  /** One line of JSON per record. */
  static final class JsonLines extends RecordFormat {
    private static final JsonFactory JSON = new JsonFactory();

    JsonLines(List<String> columns, ResultSetMetaData meta) throws SQLException {
      super(columns, meta);
    }

    @Override
    public byte[] header() {
      return new byte[0];
    }

    @Override
    public void write(ResultSet row, ByteArrayOutputStream out) throws SQLException, IOException {
      try (JsonGenerator json = JSON.createGenerator(out)) {
        json.writeStartObject();
        for (int i = 0; i < types.length; i++) {
          json.writeFieldName(columns.get(i));
          writeValue(json, row, i + 1, types[i]);
        }
        json.writeEndObject();
      }
      out.write('\n');
    }

    private static void writeValue(JsonGenerator json, ResultSet row, int column, String type)
        throws SQLException, IOException {
      switch (type) {
        case "jsonb", "json" -> {
          String raw = row.getString(column);
          if (raw == null) {
            json.writeNull();
          } else {
            json.writeRawValue(raw);
          }
        }
        case "int2", "int4", "int8" -> {
          long value = row.getLong(column);
          if (row.wasNull()) {
            json.writeNull();
          } else {
            json.writeNumber(value);
          }
        }
        case "timestamptz", "timestamp" -> json.writeString(timestamp(row, column));
        case "_text", "_varchar" -> {
          Array array = row.getArray(column);
          if (array == null) {
            json.writeNull();
          } else {
            json.writeStartArray();
            for (Object item : (Object[]) array.getArray()) {
              json.writeString((String) item);
            }
            json.writeEndArray();
          }
        }
        default -> json.writeString(row.getString(column));
      }
    }
  }

  /** RFC 4180: CRLF line ends, fields with a comma, quote or line break in double quotes. */
  static final class Csv extends RecordFormat {
    private static final ObjectMapper STRINGS = new ObjectMapper();

    Csv(List<String> columns, ResultSetMetaData meta) throws SQLException {
      super(columns, meta);
    }

    @Override
    public byte[] header() {
      return (String.join(",", columns) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(ResultSet row, ByteArrayOutputStream out) throws SQLException, IOException {
      for (int i = 0; i < types.length; i++) {
        if (i > 0) {
          out.write(',');
        }
        String value = text(row, i + 1, types[i]);
        if (value != null) {
          out.write(quoted(value).getBytes(StandardCharsets.UTF_8));
        }
      }
      out.write('\r');
      out.write('\n');
    }

    private static String text(ResultSet row, int column, String type) throws SQLException {
      return switch (type) {
        case "timestamptz", "timestamp" -> timestamp(row, column);
        case "_text", "_varchar" -> {
          Array array = row.getArray(column);
          if (array == null) {
            yield null;
          }
          var items = new StringBuilder("[");
          for (Object item : (Object[]) array.getArray()) {
            items.append(items.length() > 1 ? "," : "").append(jsonString((String) item));
          }
          yield items.append(']').toString();
        }
        default -> row.getString(column);
      };
    }

    private static String jsonString(String value) {
      try {
        return STRINGS.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Quotes when RFC 4180 requires it, and empty strings, to tell them from null. */
    static String quoted(String value) {
      boolean needsQuotes =
          value.isEmpty()
              || value.indexOf(',') >= 0
              || value.indexOf('"') >= 0
              || value.indexOf('\n') >= 0
              || value.indexOf('\r') >= 0;
      return needsQuotes ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
  }
}
