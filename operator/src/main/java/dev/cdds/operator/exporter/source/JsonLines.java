package dev.cdds.operator.exporter.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes one row as one line of JSON. Values follow the column's database type: jsonb as JSON,
 * text[] as a JSON array, timestamptz as RFC 3339 in UTC, numbers as numbers, bytea as base64 (RFC
 * 4648, no line breaks), null as null.
 */
public final class JsonLines {
  private static final JsonFactory JSON = new JsonFactory();

  private final List<String> columns;
  private final String[] types;
  private final boolean sqlAscii;

  /**
   * {@code sqlAscii}: the database stores text unchecked, so text, json and array columns are read
   * as their bytes and checked here (see {@link #selectList()}).
   */
  public JsonLines(List<String> columns, Map<String, String> types, boolean sqlAscii) {
    this.columns = columns;
    this.types = columns.stream().map(types::get).toArray(String[]::new);
    this.sqlAscii = sqlAscii;
  }

  /**
   * The columns to select. From a SQL_ASCII database every textual column comes as bytea ({@code
   * convert_to(…, 'SQL_ASCII')} does not convert), so that one value that is not UTF-8 is found
   * here, in its row, instead of failing the whole cursor in the driver.
   */
  public String selectList() {
    List<String> select = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      String column = columns.get(i);
      select.add(
          sqlAscii && textual(types[i])
              ? "convert_to("
                  + (array(types[i]) ? "to_json(" + column + ")" : column)
                  + "::text, 'SQL_ASCII') AS "
                  + column
              : column);
    }
    return String.join(", ", select);
  }

  private static boolean textual(String type) {
    return switch (type) {
      case "text", "varchar", "bpchar", "json", "jsonb" -> true;
      default -> array(type);
    };
  }

  private static boolean array(String type) {
    return type.equals("_text") || type.equals("_varchar");
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
  public void write(ResultSet row, ByteArrayOutputStream out)
      throws SQLException, IOException, MalformedText {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (int i = 0; i < types.length; i++) {
        json.writeFieldName(columns.get(i));
        if (sqlAscii && textual(types[i])) {
          writeCheckedText(json, row, i + 1, types[i]);
        } else {
          writeValue(json, row, i + 1, types[i]);
        }
      }
      json.writeEndObject();
    }
    out.write('\n');
  }

  private void writeCheckedText(JsonGenerator json, ResultSet row, int column, String type)
      throws SQLException, IOException, MalformedText {
    byte[] bytes = row.getBytes(column);
    if (bytes == null) {
      json.writeNull();
      return;
    }
    int invalid = Utf8.firstInvalid(bytes, bytes.length);
    if (invalid >= 0) {
      throw new MalformedText(
          String.format(
              "%s is not valid UTF-8 (byte 0x%02x at offset %d)",
              columns.get(column - 1), bytes[invalid], invalid));
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (type.startsWith("json") || array(type)) {
      json.writeRawValue(text);
    } else {
      json.writeString(text);
    }
  }

  /** A value that is not UTF-8: its row is a bad record. */
  public static final class MalformedText extends Exception {
    MalformedText(String message) {
      super(message);
    }
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
      case "bytea" -> {
        byte[] bytes = row.getBytes(column);
        if (bytes == null) {
          json.writeNull();
        } else {
          json.writeBinary(bytes);
        }
      }
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
