package dev.cdds.operator.exporter.progress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress as log lines, at most one every 5 s and the last one, for runs outside a cluster. */
public final class ProgressLog implements ProgressListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

  private final String runId;
  private final Clock clock;
  private Instant last = Instant.MIN;

  public ProgressLog(String runId, Clock clock) {
    this.runId = runId;
    this.clock = clock;
  }

  @Override
  public void report(long recordsDone, long recordsTotal, long bytes, int files) {
    Instant now = clock.instant();
    if (recordsDone < recordsTotal && now.isBefore(last.plus(Duration.ofSeconds(5)))) {
      return;
    }
    last = now;
    LOG.info(
        "progress run={} records={}/{} bytes={} files={}",
        runId,
        recordsDone,
        recordsTotal,
        bytes,
        files);
  }
}
