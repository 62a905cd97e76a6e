package dev.cdds.operator.exporter.progress;

import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.runcontract.FieldManagers;
import dev.cdds.operator.runcontract.StatusApply;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a run's progress into {@code status.currentRun} of its ExportJob, by server-side apply
 * under its own field manager: it owns the counters, the operator owns the rest of status, and
 * neither overwrites the other. At most one patch per interval, and always the last one.
 */
public final class ProgressReporter implements ProgressListener {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String exportJob;
  private final String runId;
  private final Clock clock;
  private final Duration interval;
  private final Instant started;
  private Instant lastReport = Instant.MIN;

  public ProgressReporter(
      KubernetesClient client,
      String namespace,
      String exportJob,
      String runId,
      Clock clock,
      Duration interval) {
    this.client = client;
    this.namespace = namespace;
    this.exportJob = exportJob;
    this.runId = runId;
    this.clock = clock;
    this.interval = interval;
    this.started = clock.instant();
  }

  /** Reports unless the last report is more recent than the interval; 100% always goes out. */
  @Override
  public void report(long recordsDone, long recordsTotal, long bytes, int files) {
    Instant now = clock.instant();
    boolean done = recordsTotal > 0 && recordsDone >= recordsTotal;
    if (!done && now.isBefore(lastReport.plus(interval))) {
      return;
    }
    lastReport = now;
    apply(counters(runId, recordsDone, recordsTotal, bytes, files, started, now));
  }

  /** The run's counters as status shows them, with the completion estimated at this rate. */
  static CurrentRun counters(
      String runId,
      long recordsDone,
      long recordsTotal,
      long bytes,
      int files,
      Instant started,
      Instant now) {
    boolean done = recordsTotal > 0 && recordsDone >= recordsTotal;
    var run = new CurrentRun();
    run.id = runId;
    run.recordsDone = recordsDone;
    run.recordsTotal = recordsTotal;
    run.bytes = bytes;
    run.files = files;
    run.progress = recordsTotal == 0 ? 100 : (int) Math.min(100, recordsDone * 100 / recordsTotal);
    if (recordsDone > 0 && !done) {
      Duration elapsed = Duration.between(started, now);
      long remainingMillis = elapsed.toMillis() * (recordsTotal - recordsDone) / recordsDone;
      run.estimatedCompletionAt = now.plusMillis(remainingMillis).toString();
    }
    return run;
  }

  private void apply(CurrentRun run) {
    apply(client, namespace, exportJob, run, FieldManagers.EXPORTER);
  }

  /** Writes {@code run} as status.currentRun under {@code fieldManager}, never failing the run. */
  static void apply(
      KubernetesClient client,
      String namespace,
      String exportJob,
      CurrentRun run,
      String fieldManager) {
    var status = new ExportJobStatus();
    status.currentRun = run;
    try {
      StatusApply.apply(client, namespace, exportJob, status, fieldManager);
    } catch (KubernetesClientException e) {
      // Progress is informative: an API hiccup must not fail the export itself.
      LOG.warn("progress of run {} not reported by {}: {}", run.id, fieldManager, e.getMessage());
    }
  }
}
