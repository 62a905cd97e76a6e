package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.ActivePeriod;
import dev.cdds.operator.schedule.RunIds;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile step that starts the runs no CronJob starts: a one-time job's, and the first run of
 * a recurring job with spec.schedule.startImmediately. A one-time job runs once: when it has no Job
 * and no history yet, is not suspended, and its start time has come. The Job is named after the
 * scheduled time, so a retry after a crash finds the Job it created instead of making a second one.
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
    if (started(observed) || observed.suspendedBySpec()) {
      return Optional.empty();
    }
    return observed.once()
        ? startOnce(observed, connections, settings, client)
        : startImmediately(observed, connections, settings, client);
  }

  /**
   * A recurring job's first run on creation (spec.schedule.startImmediately), named after the
   * minute it was created; past the starting deadline it is no longer "immediately" and the
   * schedule alone runs the job.
   */
  private static Optional<Job> startImmediately(
      Observed observed,
      Connections connections,
      OperatorSettings settings,
      KubernetesClient client) {
    ExportJob job = observed.job();
    var schedule = job.getSpec().schedule;
    Instant jobCreated = Instant.parse(job.getMetadata().getCreationTimestamp());
    if (!Boolean.TRUE.equals(schedule.startImmediately)
        || observed.now().isAfter(jobCreated.plus(settings.startingDeadline()))
        || ActivePeriod.of(schedule).ended(observed.now())) {
      return Optional.empty();
    }
    return create(
        observed,
        jobCreated.truncatedTo(ChronoUnit.MINUTES),
        Map.of(ObjectLabels.IMMEDIATE_RUN, "true"),
        connections,
        settings,
        client);
  }

  private static Optional<Job> startOnce(
      Observed observed,
      Connections connections,
      OperatorSettings settings,
      KubernetesClient client) {
    ExportJob job = observed.job();
    // A startAt before the job existed (a clone of an old job) means at once: the run is then
    // named, windowed and kept for retentionDays from when it was created, not from that old time.
    Instant jobCreated = Instant.parse(job.getMetadata().getCreationTimestamp());
    Instant start = observed.onceStartAt().filter(jobCreated::isBefore).orElse(jobCreated);
    if (observed.now().isBefore(start)) {
      return Optional.empty();
    }
    // Runs are named, and their windows computed, by the minute, as cron's are.
    return create(
        observed, start.truncatedTo(ChronoUnit.MINUTES), Map.of(), connections, settings, client);
  }

  /** Creates the run's Job, once: a second attempt finds it by name. */
  private static Optional<Job> create(
      Observed observed,
      Instant scheduledAt,
      Map<String, String> annotations,
      Connections connections,
      OperatorSettings settings,
      KubernetesClient client) {
    ExportJob job = observed.job();
    Job run =
        new JobBuilder()
            .withNewMetadata()
            .withName(RunIds.of(job.getMetadata().getName(), scheduledAt))
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(ObjectLabels.of(job, "export"))
            .withAnnotations(annotations)
            .withOwnerReferences(Owner.of(job))
            .endMetadata()
            .withSpec(ExportPodTemplate.jobSpec(job, connections, settings))
            .build();
    try {
      Job created = client.resource(run).create();
      LOG.info(
          "run created exportjob={} namespace={} run={} immediate={}",
          job.getMetadata().getName(),
          job.getMetadata().getNamespace(),
          created.getMetadata().getName(),
          !annotations.isEmpty());
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
