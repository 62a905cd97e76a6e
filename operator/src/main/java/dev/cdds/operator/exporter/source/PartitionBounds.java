package dev.cdds.operator.exporter.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.schedule.ExportWindow;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where to split a selection into ranges of its window column holding about as many rows each. From
 * the planner's statistics where they describe the window ({@link ColumnHistogram}): no row is read
 * and no partition waits. Otherwise counted in the run's snapshot (percentile_disc over the
 * selected rows), exact for the data the run reads, whatever its distribution. Rows with the same
 * time fall in one range, so ranges may be uneven when many do. The bounds only balance the ranges:
 * whatever they are, the ranges are disjoint and together hold every row of the selection once.
 */
public final class PartitionBounds {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionBounds.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private PartitionBounds() {}

  /** {@code count - 1} bounds in order (fewer rows than ranges leave some ranges empty). */
  public static List<Instant> of(Connection db, Selection selection, ExportWindow window, int count)
      throws SQLException {
    if (count < 2) {
      return List.of();
    }
    var histogram = ColumnHistogram.read(db, selection.names(), selection.table());
    var estimated = histogram.flatMap(h -> h.split(window, count));
    if (estimated.isPresent()) {
      LOG.info("partition bounds from the planner's statistics bounds={}", estimated.get());
      return ascending(estimated.get(), count);
    }
    LOG.info(
        "counting partition bounds: the planner's statistics do not describe the window"
            + " statistics={}",
        histogram.map(ColumnHistogram::summary).orElse("none"));
    return counted(db, selection, count);
  }

  private static List<Instant> counted(Connection db, Selection selection, int count)
      throws SQLException {
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
      return ascending(instants(rs.getString(1), "bounds of " + column), count);
    }
  }

  /**
   * {@code bounds} made safe to split by: never descending (a range between two that were would
   * overlap another), {@code count - 1} of them (no rows at all: every range but the last is
   * empty).
   */
  private static List<Instant> ascending(List<Instant> bounds, int count) {
    List<Instant> safe = new ArrayList<>();
    Instant last = Instant.MIN;
    for (Instant bound : bounds.subList(0, Math.min(bounds.size(), count - 1))) {
      last = bound.isBefore(last) ? last : bound;
      safe.add(last);
    }
    while (safe.size() < count - 1) {
      safe.add(safe.isEmpty() ? Instant.EPOCH : safe.get(safe.size() - 1));
    }
    return List.copyOf(safe);
  }

  /** The times of a JSON array to_json wrote (null: none), {@code what} for the error. */
  static List<Instant> instants(String json, String what) throws SQLException {
    try {
      List<Instant> instants = new ArrayList<>();
      for (JsonNode value : json == null ? JSON.createArrayNode() : JSON.readTree(json)) {
        instants.add(instant(value.asText()));
      }
      return instants;
    } catch (IOException | DateTimeParseException e) {
      throw new SQLException("unreadable " + what + ": " + e.getMessage(), e);
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
