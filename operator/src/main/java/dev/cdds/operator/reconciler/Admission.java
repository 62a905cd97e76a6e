package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.schedule.SpecDuration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile step that lets waiting runs start. Every export Job is created suspended (no pod);
 * the operator resumes it once (1) its scheduled time plus the job's jitter has come, and (2) fewer
 * than the limit of exports of the same source Secret run in its namespace. Until then the run is
 * Queued. One decision at a time, operator-wide, and a run resumed but not yet seen in the
 * informer's cache still counts, so the limit holds under concurrent reconciliations.
 */
final class Admission {
  /** How often a queued run looks for a free turn: a turn frees when another job's run ends. */
  static final Duration QUEUED_RECHECK = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
  private static final Duration UNSEEN_FOR_AT_MOST = Duration.ofMinutes(2);

  private final int perSource;
  private final Duration defaultJitter;

  /** "namespace/run" of runs resumed here that the cache may not show yet, with when. */
  private final Map<String, Instant> resumed = new HashMap<>();

  Admission(int perSource, Duration defaultJitter) {
    this.perSource = perSource;
    this.defaultJitter = defaultJitter;
  }

  /** The observation with the runs resumed now; when to look again at those still waiting. */
  Result admit(Observed observed, Context<ExportJob> context, KubernetesClient client) {
    // Most reconciliations have no waiting run: they never take the operator-wide lock.
    if (observed.exportJobs().stream().noneMatch(Admission::waiting)) {
      return new Result(observed, Optional.empty());
    }
    return admitWaiting(observed, context, client);
  }

  private synchronized Result admitWaiting(
      Observed observed, Context<ExportJob> context, KubernetesClient client) {
    Observed current = observed;
    Optional<Instant> next = Optional.empty();
    for (Job job : observed.exportJobs()) {
      if (!waiting(job)) {
        continue;
      }
      Instant notBefore = notBefore(observed.job(), job);
      if (observed.now().isBefore(notBefore)) {
        next = Wakeups.earliest(next, Optional.of(notBefore));
        continue;
      }
      if (perSource > 0 && running(observed, context) >= perSource) {
        next = Wakeups.earliest(next, Optional.of(observed.now().plus(QUEUED_RECHECK)));
        continue;
      }
      Job started = RunSuspension.set(client, job, false);
      resumed.put(key(job), observed.now());
      current = current.withUpdatedExportJob(started);
      LOG.info(
          "run started exportjob={} namespace={} run={}",
          observed.job().getMetadata().getName(),
          job.getMetadata().getNamespace(),
          job.getMetadata().getName());
    }
    return new Result(current, next);
  }

  record Result(Observed observed, Optional<Instant> wakeUp) {}

  /** A run that has not started: created suspended, not finished, not failed by the operator. */
  static boolean waiting(Job job) {
    return job.getSpec() != null
        && Boolean.TRUE.equals(job.getSpec().getSuspend())
        && JobCompletion.finished(job).isEmpty();
  }

  /**
   * For a scheduled run of a job with a jitter, its scheduled time plus the job's offset inside it:
   * derived from the job's uid, so every reconciliation and every operator replica computes the
   * same. Any other run may start as soon as its Job exists.
   */
  Instant notBefore(ExportJob exportJob, Job job) {
    Instant scheduledAt = RunIds.scheduledAt(job.getMetadata().getName()).orElse(Instant.MIN);
    var annotations = job.getMetadata().getAnnotations();
    boolean byHand = annotations != null && annotations.containsKey(ObjectLabels.MANUAL_RUN);
    if (byHand || exportJob.getSpec().schedule.run == RunMode.Once) {
      return Instant.MIN;
    }
    String jitter = exportJob.getSpec().schedule.jitter;
    long spread =
        (jitter == null ? defaultJitter : SpecDuration.parse(jitter, "spec.schedule.jitter"))
            .toSeconds();
    if (spread <= 0) {
      return Instant.MIN;
    }
    return scheduledAt.plusSeconds(
        Math.floorMod(exportJob.getMetadata().getUid().hashCode(), spread));
  }

  /**
   * Export runs of this job's source Secret going on in its namespace: resumed, not finished, as
   * the cache shows them, and those resumed here the cache does not show yet.
   */
  @SuppressWarnings("unchecked")
  private int running(Observed observed, Context<ExportJob> context) {
    String namespace = observed.job().getMetadata().getNamespace();
    String source = Preconditions.sourceSecret(observed.job().getSpec().source);
    var jobs =
        (InformerEventSource<Job, ExportJob>)
            context.eventSourceRetriever().getEventSourceFor(Job.class);
    int count = 0;
    for (Job job : jobs.list(namespace, j -> !ObjectLabels.isPrune(j)).toList()) {
      if (JobCompletion.finished(job).isPresent()) {
        resumed.remove(key(job));
        continue;
      }
      boolean started = !Boolean.TRUE.equals(job.getSpec().getSuspend());
      if (started) {
        resumed.remove(key(job));
      }
      if ((started || resumed.containsKey(key(job)))
          && sameSource(job, source, namespace, context)) {
        count++;
      }
    }
    resumed.values().removeIf(at -> at.isBefore(observed.now().minus(UNSEEN_FOR_AT_MOST)));
    return count;
  }

  private static boolean sameSource(
      Job job, String source, String namespace, Context<ExportJob> context) {
    String owner = job.getMetadata().getLabels().get(ObjectLabels.EXPORT_JOB);
    return owner != null
        && context
            .getPrimaryCache()
            .get(new ResourceID(owner, namespace))
            .map(e -> source.equals(Preconditions.sourceSecret(e.getSpec().source)))
            .orElse(false);
  }

  private static String key(Job job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }
}
