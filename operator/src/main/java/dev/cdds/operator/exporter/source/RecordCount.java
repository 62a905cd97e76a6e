package dev.cdds.operator.exporter.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many records a run reads, for its progress, without delaying its first record: the planner's
 * estimate at once ({@link #estimate}), then the exact count, taken on a second connection in the
 * run's own snapshot while the records stream ({@link #start}). A count still going when the run
 * ends is cancelled: the run's own numbers are exact by then.
 */
public final class RecordCount implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecordCount.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Thread thread;
  private volatile Statement running;
  private volatile boolean closed;

  private RecordCount(
      Callable<Connection> connect,
      String snapshot,
      List<Selection> selections,
      LongConsumer counted) {
    this.thread = new Thread(() -> count(connect, snapshot, selections, counted), "record-count");
    thread.setDaemon(true);
  }

  /** The planner's estimate of the rows selected: what EXPLAIN says, without running anything. */
  public static long estimate(Connection db, List<Selection> selections) throws SQLException {
    long rows = 0;
    for (Selection selection : selections) {
      try (Statement explain = db.createStatement();
          ResultSet rs =
              explain.executeQuery("EXPLAIN (FORMAT JSON) SELECT 1 " + selection.from())) {
        rs.next();
        JsonNode plan = JSON.readTree(rs.getString(1)).path(0).path("Plan");
        rows += plan.path("Plan Rows").asLong();
      } catch (IOException e) {
        throw new SQLException("unreadable EXPLAIN output", e);
      }
    }
    return rows;
  }

  /**
   * Counts {@code selections} in {@code snapshot} (as pg_export_snapshot named it) on a connection
   * of its own, and hands the total to {@code counted}; a count that fails leaves the estimate.
   */
  public static RecordCount start(
      Callable<Connection> connect,
      String snapshot,
      List<Selection> selections,
      LongConsumer counted) {
    var count = new RecordCount(connect, snapshot, selections, counted);
    count.thread.start();
    return count;
  }

  private void count(
      Callable<Connection> connect,
      String snapshot,
      List<Selection> selections,
      LongConsumer counted) {
    try (Connection db = connect.call()) {
      db.setAutoCommit(false);
      db.setReadOnly(true);
      db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      long total = 0;
      try (Statement statement = db.createStatement()) {
        running = statement;
        if (closed) {
          return;
        }
        statement.execute(SharedSnapshots.importing(snapshot));
        for (Selection selection : selections) {
          try (ResultSet rs = statement.executeQuery("SELECT count(*) " + selection.from())) {
            rs.next();
            total += rs.getLong(1);
          }
        }
      }
      db.rollback();
      counted.accept(total);
    } catch (Exception e) {
      if (!closed) {
        LOG.info("count not taken, progress shows the planner's estimate: {}", e.getMessage());
      }
    }
  }

  /** Cancels the count if it still runs, and waits for its connection to close. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    Statement statement = running;
    if (statement != null && thread.isAlive()) {
      try {
        statement.cancel();
      } catch (SQLException e) {
        // Closing the connection ends the count all the same.
      }
    }
    thread.join();
  }
}
