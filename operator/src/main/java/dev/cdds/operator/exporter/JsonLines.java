package dev.cdds.operator.exporter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Encodes one row as one line of JSON. Values follow the column's database type: jsonb as JSON,
 * text[] as a JSON array, timestamptz as RFC 3339 in UTC, numbers as numbers, null as null.
 */
final class JsonLines {
  private static final JsonFactory JSON = new JsonFactory();

  private final List<String> columns;
  private final String[] types;

  JsonLines(List<String> columns, ResultSetMetaData meta) throws SQLException {
    this.columns = columns;
    this.types = new String[columns.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = meta.getColumnTypeName(i + 1);
    }
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

  /** Appends the current row of {@code row} to {@code out}. */
  void write(ResultSet row, ByteArrayOutputStream out) throws SQLException, IOException {
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
