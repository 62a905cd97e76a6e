package dev.cdds.operator.exporter.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where to split a selection into ranges of its window column holding about as many rows each:
 * counted in the run's snapshot (percentile_disc over the selected rows), so that the split is
 * exact for the data the run reads, whatever its distribution. Rows with the same time fall in one
 * range, so ranges may be uneven when many do.
 */
public final class PartitionBounds {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PartitionBounds() {}

  /** {@code count - 1} bounds in order (fewer rows than ranges leave some ranges empty). */
  public static List<Instant> of(Connection db, Selection selection, int count)
      throws SQLException {
    if (count < 2) {
      return List.of();
    }
    List<String> fractions = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      fractions.add(i + ".0 / " + count);
    }
    String column = selection.table().windowColumn();
    String query =
        "SELECT to_json(percentile_disc(ARRAY["
            + String.join(", ", fractions)
            + "]::float8[]) WITHIN GROUP (ORDER BY "
            + column
            + ")) "
            + selection.from();
    try (Statement statement = db.createStatement();
        ResultSet rs = statement.executeQuery(query)) {
      rs.next();
      String json = rs.getString(1);
      List<Instant> bounds = new ArrayList<>();
      Instant last = Instant.MIN;
      for (JsonNode value : json == null ? JSON.createArrayNode() : JSON.readTree(json)) {
        Instant bound = value.isNull() ? last : instant(value.asText());
        // Ascending already; equal times make an empty range between them.
        last = bound.isBefore(last) ? last : bound;
        bounds.add(last);
      }
      while (bounds.size() < count - 1) {
        // No rows at all: every range but the last is empty.
        bounds.add(bounds.isEmpty() ? Instant.EPOCH : bounds.get(bounds.size() - 1));
      }
      return List.copyOf(bounds);
    } catch (IOException | DateTimeParseException e) {
      throw new SQLException("unreadable bounds of " + column + ": " + e.getMessage(), e);
    }
  }

  /** A time as to_json writes it: with an offset (timestamptz), or none (timestamp, as UTC). */
  private static Instant instant(String text) {
    var parsed =
        DateTimeFormatter.ISO_DATE_TIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
    return parsed instanceof OffsetDateTime offset
        ? offset.toInstant()
        : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
  }
}
