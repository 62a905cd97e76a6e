package dev.cdds.operator.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** The source rows as PostgreSQL itself renders them, to compare exported records with. */
final class SourceRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SourceRows() {}

  /** {@code row_to_json} of each row of {@code table} matching {@code where}, by id. */
  static Map<Long, JsonNode> asJson(Connection db, String table, String where) throws Exception {
    Map<Long, JsonNode> rows = new LinkedHashMap<>();
    try (var rs =
        db.createStatement()
            .executeQuery("SELECT row_to_json(t) FROM " + table + " t WHERE " + where)) {
      while (rs.next()) {
        JsonNode row = JSON.readTree(rs.getString(1));
        rows.put(row.get("id").asLong(), row);
      }
    }
    return rows;
  }

  /** Timestamps compared as instants: PostgreSQL writes +00:00 where the export writes Z. */
  static JsonNode normalized(JsonNode record) {
    ObjectNode copy = record.deepCopy();
    record
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (name.endsWith("_at") && record.get(name).isTextual()) {
                copy.put(name, instant(record.get(name).asText()).toString());
              }
            });
    return copy;
  }

  /** A timestamp as PostgreSQL renders it ({@code 2026-01-05 12:34:56+00}) or in RFC 3339. */
  static Instant instant(String text) {
    return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
  }

  /** Each JSON line's record, normalized, by id: what the export wrote, to compare. */
  static Map<Long, JsonNode> byId(Iterable<String> lines) throws Exception {
    Map<Long, JsonNode> records = new LinkedHashMap<>();
    for (String line : lines) {
      JsonNode record = JSON.readTree(line);
      records.put(record.get("id").asLong(), normalized(record));
    }
    return records;
  }
}
