package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.RunRecord;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The operator's export metrics, on top of java-operator-sdk's reconciliation metrics. */
final class ExportMetrics {
  private final MeterRegistry registry;
  private final Clock clock;
  private final MultiGauge elapsed;
  private volatile IndexedResourceCache<ExportJob> cache;

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
   * The state gauge counts the informer's cache when scraped, so deleted jobs drop out by
   * themselves. The elapsed-time gauge has one row per running job, so its rows are renewed here,
   * after each reconciliation; each row's value is computed when scraped.
   */
  void countStatesIn(IndexedResourceCache<ExportJob> cache) {
    this.cache = cache;
    elapsed.register(
        cache
            .list()
            .filter(j -> j.getStatus() != null && j.getStatus().currentRun != null)
            .filter(j -> j.getStatus().currentRun.startedAt != null)
            .map(
                j -> {
                  Instant started = Instant.parse(j.getStatus().currentRun.startedAt);
                  return MultiGauge.Row.of(
                      Tags.of(
                          "namespace", j.getMetadata().getNamespace(),
                          "exportjob", j.getMetadata().getName()),
                      () -> Duration.between(started, clock.instant()).toMillis() / 1000.0);
                })
            .map(row -> (MultiGauge.Row<?>) row)
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
          .publishPercentileHistogram()
          .tags("namespace", namespace, "exportjob", name, "result", run.result.name())
          .register(registry)
          .record(Duration.between(Instant.parse(run.startedAt), Instant.parse(run.finishedAt)));
    }
  }
}
