package dev.cdds.operator.exporter.progress;

import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.PartitionProgress;
import dev.cdds.operator.runcontract.FieldManagers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports one partition's progress into {@code status.currentRun.partitions[index]}, under the
 * partition's own field manager, at most once an interval. The first partition's pod also adds up
 * every partition's entry into the run's counters, in the same write: one write per pod per
 * interval, whatever the parallelism.
 */
public final class PartitionProgressReporter implements ProgressListener {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionProgressReporter.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String exportJob;
  private final String runId;
  private final int index;
  private final int count;
  private final Clock clock;
  private final Duration interval;
  private final Instant started;
  private Instant lastReport = Instant.MIN;
  private long ownDone;
  private long ownTotal;
  private long ownBytes;
  private int ownFiles;
  private boolean doneReported;

  public PartitionProgressReporter(
      KubernetesClient client,
      String namespace,
      String exportJob,
      String runId,
      int index,
      int count,
      Clock clock,
      Duration interval) {
    this.client = client;
    this.namespace = namespace;
    this.exportJob = exportJob;
    this.runId = runId;
    this.index = index;
    this.count = count;
    this.clock = clock;
    this.interval = interval;
    this.started = clock.instant();
  }

  @Override
  public void report(long recordsDone, long recordsTotal, long bytes, int files) {
    ownDone = recordsDone;
    ownTotal = recordsTotal;
    ownBytes = bytes;
    ownFiles = files;
    boolean done = recordsTotal > 0 && recordsDone >= recordsTotal;
    Instant now = clock.instant();
    if ((done && !doneReported) || !now.isBefore(lastReport.plus(interval))) {
      doneReported |= done;
      lastReport = now;
      apply(index == 0 ? runTotals(now) : runOnly());
    }
  }

  @Override
  public void waiting() {
    Instant now = clock.instant();
    if (!now.isBefore(lastReport.plus(interval))) {
      lastReport = now;
      apply(runTotals(now));
    }
  }

  @Override
  public void runDone(long records, long bytes, int files) {
    var run = ProgressReporter.counters(runId, records, records, bytes, files, started, started);
    run.partitions = Map.of(String.valueOf(index), own());
    apply(run);
  }

  private CurrentRun runOnly() {
    var run = new CurrentRun();
    run.id = runId;
    run.partitions = Map.of(String.valueOf(index), own());
    return run;
  }

  /**
   * This partition's entry and the run's counters: every partition's entry added up, a partition
   * not yet reporting counted as large as the average of the others.
   */
  private CurrentRun runTotals(Instant now) {
    long done = ownDone;
    long total = ownTotal;
    long bytes = ownBytes;
    long files = ownFiles;
    int seen = 1;
    try {
      ExportJob job =
          client.resources(ExportJob.class).inNamespace(namespace).withName(exportJob).get();
      var current = job == null || job.getStatus() == null ? null : job.getStatus().currentRun;
      if (current != null && runId.equals(current.id) && current.partitions != null) {
        for (var entry : current.partitions.entrySet()) {
          var p = entry.getValue();
          if (entry.getKey().equals(String.valueOf(index)) || p == null) {
            continue;
          }
          done += value(p.recordsDone);
          total += value(p.recordsTotal);
          bytes += value(p.bytes);
          files += p.files == null ? 0 : p.files;
          seen++;
        }
      }
    } catch (KubernetesClientException e) {
      LOG.warn("progress of run {}'s other partitions not read: {}", runId, e.getMessage());
    }
    total = Math.max(done + 1, seen < count ? total * count / seen : total);
    var run =
        ProgressReporter.counters(
            runId, done, total, bytes, (int) Math.min(Integer.MAX_VALUE, files), started, now);
    run.partitions = Map.of(String.valueOf(index), own());
    return run;
  }

  /** This partition's entry as last reported. */
  private PartitionProgress own() {
    var p = new PartitionProgress();
    p.recordsDone = ownDone;
    p.recordsTotal = ownTotal;
    p.bytes = ownBytes;
    p.files = ownFiles;
    return p;
  }

  private void apply(CurrentRun run) {
    ProgressReporter.apply(client, namespace, exportJob, run, FieldManagers.partition(index));
  }

  private static long value(Long number) {
    return number == null ? 0 : Math.max(0, number);
  }
}
