package dev.cdds.operator.exporter.source;

import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.schedule.ExportWindow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the planner knows of a table's window column (pg_stats): the equi-depth histogram ANALYZE
 * drew from its sample, the share of rows the histogram leaves out (most common values and nulls),
 * the table's rows then and the rows changed since. Enough to split a window into ranges of about
 * as many rows each without reading a row — when the statistics describe the window well.
 *
 * @param bounds the histogram's bounds in order: each bucket between two holds as many rows
 */
record ColumnHistogram(
    List<Instant> bounds, double leftOut, double rows, long changedSinceAnalyze) {

  /** More than this share in most common values or nulls, and the histogram misses too much. */
  static final double MAX_LEFT_OUT = 0.1;

  /** Each range must span at least this many buckets: finer, and the sample's noise shows. */
  static final double MIN_BUCKETS_PER_RANGE = 2;

  /** Rows changed since ANALYZE, at most this share of the window's rows, unseen by it. */
  static final double MAX_CHANGED_SHARE = 0.1;

  // Only timestamp columns: the cast below cannot fail, which would abort the run's transaction.
  private static final String QUERY =
      """
      SELECT to_json(s.histogram_bounds::text::timestamptz[]),
             s.null_frac + coalesce((SELECT sum(f) FROM unnest(s.most_common_freqs) f), 0),
             c.reltuples, t.n_mod_since_analyze
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = lower(?)
             AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype)
        JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname
             AND s.attname = a.attname
        LEFT JOIN pg_stat_all_tables t ON t.relid = c.oid
       WHERE c.oid = to_regclass(?) AND s.histogram_bounds IS NOT NULL
       ORDER BY s.inherited DESC
       LIMIT 1
      """;

  /** The statistics of {@code table}'s window column, if ANALYZE has drawn a histogram of it. */
  static Optional<ColumnHistogram> read(Connection db, SourceNames names, SourceTable table)
      throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(QUERY)) {
      statement.setString(1, names.column(table, table.windowColumn()));
      statement.setString(2, names.table(table));
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        List<Instant> bounds;
        try {
          bounds = PartitionBounds.instants(rs.getString(1), "histogram");
        } catch (SQLException e) {
          // 'infinity' among them, say: the rows will be counted instead.
          return Optional.empty();
        }
        double leftOut = rs.getDouble(2);
        double rows = rs.getDouble(3);
        long changed = rs.getLong(4);
        // No statistics of the table's changes: as many as could be.
        changed = rs.wasNull() ? Long.MAX_VALUE : changed;
        return Optional.of(new ColumnHistogram(bounds, leftOut, rows, changed));
      }
    }
  }

  /**
   * {@code count - 1} bounds splitting {@code window} into ranges of about as many rows, or none
   * where these statistics cannot be trusted for it: a window outside the histogram (rows added
   * since ANALYZE), too few buckets per range, too many rows changed since, or a histogram that
   * leaves out too many rows.
   */
  Optional<List<Instant>> split(ExportWindow window, int count) {
    int buckets = bounds.size() - 1;
    if (buckets < 1 || rows <= 0 || leftOut > MAX_LEFT_OUT) {
      return Optional.empty();
    }
    double from = window.start().map(this::fraction).orElse(0.0);
    double to = window.end().map(this::fraction).orElse(1.0);
    double windowRows = (to - from) * (1 - leftOut) * rows;
    if ((to - from) * buckets < MIN_BUCKETS_PER_RANGE * count
        || changedSinceAnalyze > MAX_CHANGED_SHARE * windowRows) {
      return Optional.empty();
    }
    List<Instant> split = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      split.add(at(from + (to - from) * i / count));
    }
    return Optional.of(List.copyOf(split));
  }

  /** What these statistics say, for a log line. */
  String summary() {
    return "\"rows="
        + (long) rows
        + " changedSinceAnalyze="
        + changedSinceAnalyze
        + " buckets="
        + (bounds.size() - 1)
        + " from="
        + bounds.get(0)
        + " to="
        + bounds.get(bounds.size() - 1)
        + "\"";
  }

  /** The share of rows before {@code time}, linear within a bucket as the planner reckons it. */
  double fraction(Instant time) {
    int buckets = bounds.size() - 1;
    if (!time.isAfter(bounds.get(0))) {
      return 0;
    }
    if (!time.isBefore(bounds.get(buckets))) {
      return 1;
    }
    int bucket = 0;
    while (!time.isBefore(bounds.get(bucket + 1))) {
      bucket++;
    }
    double width = micros(bounds.get(bucket), bounds.get(bucket + 1));
    return (bucket + micros(bounds.get(bucket), time) / width) / buckets;
  }

  /**
   * The time before which {@code fraction} of the rows lie, to the microsecond PostgreSQL keeps.
   */
  Instant at(double fraction) {
    int buckets = bounds.size() - 1;
    double position = Math.max(0, Math.min(buckets, fraction * buckets));
    int bucket = Math.min(buckets - 1, (int) position);
    Instant low = bounds.get(bucket);
    long width = micros(low, bounds.get(bucket + 1));
    return low.plus(Math.round((position - bucket) * width), ChronoUnit.MICROS);
  }

  private static long micros(Instant from, Instant to) {
    return ChronoUnit.MICROS.between(from, to);
  }
}
