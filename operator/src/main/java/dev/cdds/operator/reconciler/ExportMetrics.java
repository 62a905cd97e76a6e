package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.RunRecord;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The operator's export metrics, on top of java-operator-sdk's reconciliation metrics. */
final class ExportMetrics {
  private final MeterRegistry registry;
  private final Clock clock;
  private final MultiGauge elapsed;
  private volatile IndexedResourceCache<ExportJob> cache;

  /** When the current run of each running job started. */
  private final Map<ResourceID, Instant> running = new ConcurrentHashMap<>();

  ExportMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.elapsed =
        MultiGauge.builder("cdds_export_run_elapsed")
            .description("Time the current run of each running ExportJob has been running")
            .baseUnit("seconds")
            .register(registry);
    for (ExportJobState state : ExportJobState.values()) {
      Gauge.builder("cdds_exportjobs", () -> count(state))
          .description("ExportJobs by state")
          .tag("state", state.name())
          .register(registry);
    }
  }

  /**
   * Called after each reconciliation with the job as it now is. The state gauge counts the
   * informer's cache when scraped, so deleted jobs drop out by themselves. The elapsed-time gauge
   * has one row per running job: its rows are renewed only when a run starts or ends, so that a
   * reconciliation costs the same whatever the number of jobs.
   */
  void observe(ExportJob job, ExportJobStatus status, IndexedResourceCache<ExportJob> cache) {
    this.cache = cache;
    var id = ResourceID.fromResource(job);
    Instant started =
        status.currentRun == null || status.currentRun.startedAt == null
            ? null
            : Instant.parse(status.currentRun.startedAt);
    boolean changed =
        started == null ? running.remove(id) != null : !started.equals(running.put(id, started));
    if (changed) {
      renewElapsedRows();
    }
  }

  /** The job is gone: its row goes. */
  void forget(ExportJob job) {
    if (running.remove(ResourceID.fromResource(job)) != null) {
      renewElapsedRows();
    }
  }

  private synchronized void renewElapsedRows() {
    elapsed.register(
        running.entrySet().stream()
            .map(
                e ->
                    (MultiGauge.Row<?>)
                        MultiGauge.Row.of(
                            Tags.of(
                                "namespace", e.getKey().getNamespace().orElse(""),
                                "exportjob", e.getKey().getName()),
                            () ->
                                Duration.between(e.getValue(), clock.instant()).toMillis()
                                    / 1000.0))
            .toList(),
        true);
  }

  private long count(ExportJobState state) {
    var current = cache;
    return current == null
        ? 0
        : current
            .list()
            .filter(j -> j.getStatus() != null && state.equals(j.getStatus().state))
            .count();
  }

  void finished(ExportJob job, RunRecord run) {
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    Counter.builder("cdds_export_runs")
        .description("Finished runs by result")
        .tags("namespace", namespace, "exportjob", name, "result", run.result.name())
        .register(registry)
        .increment();
    if (run.records != null) {
      Counter.builder("cdds_export_records")
          .description("Records exported")
          .tags("namespace", namespace, "exportjob", name)
          .register(registry)
          .increment(run.records);
    }
    if (run.bytes != null) {
      Counter.builder("cdds_export_bytes")
          .description("Bytes written to destinations")
          .tags("namespace", namespace, "exportjob", name)
          .register(registry)
          .increment(run.bytes);
    }
    if (run.startedAt != null && run.finishedAt != null) {
      Timer.builder("cdds_export_run_duration")
          .description("Duration of finished runs")
          // A few fixed buckets, not Micrometer's ~70: one set per ExportJob, for thousands.
          .serviceLevelObjectives(
              Duration.ofMinutes(1),
              Duration.ofMinutes(5),
              Duration.ofMinutes(15),
              Duration.ofHours(1),
              Duration.ofHours(3),
              Duration.ofHours(12))
          .tags("namespace", namespace, "exportjob", name, "result", run.result.name())
          .register(registry)
          .record(Duration.between(Instant.parse(run.startedAt), Instant.parse(run.finishedAt)));
    }
  }
}
