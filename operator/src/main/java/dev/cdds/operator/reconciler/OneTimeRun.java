package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.RunIds;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile step that starts a due run, for one-time jobs (a CronJob starts the others). A
 * one-time job runs once: when it has no Job and no history yet, is not suspended, and its start
 * time has come. The Job is named after the scheduled time, so a retry after a crash finds the Job
 * it created instead of making a second one.
 */
final class OneTimeRun {
  private static final Logger LOG = LoggerFactory.getLogger(OneTimeRun.class);

  private OneTimeRun() {}

  /** The Job created now, if the run was due. */
  static Optional<Job> startIfDue(
      Observed observed,
      Connections connections,
      OperatorSettings settings,
      KubernetesClient client) {
    ExportJob job = observed.job();
    if (!observed.once() || started(observed) || observed.suspendedBySpec()) {
      return Optional.empty();
    }
    // A startAt before the job existed (a clone of an old job) means at once: the run is then
    // named, windowed and kept for retentionDays from when it was created, not from that old time.
    Instant jobCreated = Instant.parse(job.getMetadata().getCreationTimestamp());
    Instant start = observed.onceStartAt().filter(jobCreated::isBefore).orElse(jobCreated);
    if (observed.now().isBefore(start)) {
      return Optional.empty();
    }
    // Runs are named, and their windows computed, by the minute, as cron's are.
    Instant scheduledAt = start.truncatedTo(ChronoUnit.MINUTES);
    Job run =
        new JobBuilder()
            .withNewMetadata()
            .withName(RunIds.of(job.getMetadata().getName(), scheduledAt))
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(ObjectLabels.of(job, "export"))
            .withOwnerReferences(Owner.of(job))
            .endMetadata()
            .withSpec(ExportPodTemplate.jobSpec(job, connections, settings))
            .build();
    try {
      Job created = client.resource(run).create();
      LOG.info(
          "one-time run created exportjob={} namespace={} run={}",
          job.getMetadata().getName(),
          job.getMetadata().getNamespace(),
          created.getMetadata().getName());
      return Optional.of(created);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static boolean started(Observed observed) {
    ExportJobStatus status = observed.job().getStatus();
    return !observed.exportJobs().isEmpty()
        || (status != null
            && (status.lastStartedAt != null
                || status.currentRun != null
                || status.history != null));
  }
}
