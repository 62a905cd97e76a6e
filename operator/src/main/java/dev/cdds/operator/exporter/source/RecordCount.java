package dev.cdds.operator.exporter.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;

/**
 * How many records a selection holds, for progress: counted, or the planner's estimate where
 * counting would cost more than a tenth of the export. The export's duration is not known before it
 * runs, so the count gets a tenth of what the planner's row estimate would take at {@link
 * #EXPECTED_RECORDS_PER_SECOND} (at least {@link #MINIMUM_BUDGET}); a count that runs longer is
 * cancelled and the estimate stands. The count runs under a savepoint, so cancelling it keeps the
 * run's transaction and snapshot.
 */
public record RecordCount(long value, boolean estimated) {
  /** The slower of the two formats in docs/benchmarks.md, rounded down. */
  static final long EXPECTED_RECORDS_PER_SECOND = 100_000;

  static final Duration MINIMUM_BUDGET = Duration.ofSeconds(1);
  private static final String QUERY_CANCELED = "57014";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static RecordCount of(Connection db, Selection selection) throws SQLException {
    long estimate = planRows(db, selection);
    Duration budget =
        Duration.ofMillis(
            Math.max(MINIMUM_BUDGET.toMillis(), estimate * 100 / EXPECTED_RECORDS_PER_SECOND));
    return of(db, selection, estimate, budget);
  }

  public static RecordCount of(Connection db, Selection selection, long estimate, Duration budget)
      throws SQLException {
    // Rolling back to the savepoint also undoes the SET LOCAL: whatever statement_timeout the
    // database administrator set for the role applies again to the export's reading.
    Savepoint savepoint = db.setSavepoint();
    try (Statement count = db.createStatement()) {
      count.execute("SET LOCAL statement_timeout = " + Math.max(1, budget.toMillis()));
      long value;
      try (ResultSet rs = count.executeQuery("SELECT count(*) " + selection.from())) {
        rs.next();
        value = rs.getLong(1);
      }
      db.rollback(savepoint);
      return new RecordCount(value, false);
    } catch (SQLException e) {
      if (!QUERY_CANCELED.equals(e.getSQLState())) {
        throw e;
      }
      db.rollback(savepoint);
      return new RecordCount(estimate, true);
    }
  }

  /** The planner's estimate of the rows selected: what EXPLAIN says, without running anything. */
  public static long planRows(Connection db, Selection selection) throws SQLException {
    try (Statement explain = db.createStatement();
        ResultSet rs = explain.executeQuery("EXPLAIN (FORMAT JSON) SELECT 1 " + selection.from())) {
      rs.next();
      JsonNode plan = JSON.readTree(rs.getString(1)).path(0).path("Plan");
      return plan.path("Plan Rows").asLong();
    } catch (IOException e) {
      throw new SQLException("unreadable EXPLAIN output", e);
    }
  }
}
