package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.retention.DataRetention;
import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * spec.output.deleteDataWithJob: a finalizer of ours, present exactly while that field is true,
 * holds a deleted ExportJob until a Job has deleted every run of it from the destination. Without
 * it, deleting an ExportJob leaves its data to expire.
 */
final class DataDeletion {
  static final String FINALIZER = "cdds.dev/delete-data";
  private static final Logger LOG = LoggerFactory.getLogger(DataDeletion.class);
  // Pods are not watched: their end is seen by asking again.
  private static final Duration EXPORT_STOP_RECHECK = Duration.ofSeconds(2);

  private DataDeletion() {}

  /** Adds or removes the finalizer as the spec asks; the job as stored afterwards. */
  static ExportJob keepFinalizerInStep(ExportJob job, Context<ExportJob> context) {
    var output = job.getSpec().output;
    boolean wanted = output != null && Boolean.TRUE.equals(output.deleteDataWithJob);
    boolean present = job.hasFinalizer(FINALIZER);
    if (wanted && !present) {
      return PrimaryUpdateAndCacheUtils.addFinalizer(context, FINALIZER);
    }
    if (!wanted && present) {
      return PrimaryUpdateAndCacheUtils.removeFinalizer(context, FINALIZER);
    }
    return job;
  }

  /**
   * The ExportJob is being deleted and holds the finalizer: stop its schedule, delete its data,
   * then let it go. A failed deletion is reported and retried; one that cannot start (its Secret or
   * claim is gone) is reported with how to let the ExportJob go without its data.
   */
  static UpdateControl<ExportJob> finish(
      ExportJob job,
      Context<ExportJob> context,
      OperatorSettings settings,
      Instant now,
      EventRecorder events) {
    var client = context.getClient();
    String name = job.getMetadata().getName();
    String namespace = job.getMetadata().getNamespace();
    // No run may start while the data goes.
    client.batch().v1().cronjobs().inNamespace(namespace).withName(name).delete();
    List<Job> deletions =
        context.getSecondaryResources(Job.class).stream()
            .filter(ObjectLabels::isPrune)
            .filter(PruneJobs::deletesAll)
            .toList();
    if (deletions.stream().anyMatch(j -> JobCompletion.finishedAs(j, "Complete"))) {
      events.normal(
          job, "DataDeleted", "every run of " + name + " was deleted from its destination");
      LOG.info("data deleted, finalizer removed exportjob={} namespace={}", name, namespace);
      PrimaryUpdateAndCacheUtils.removeFinalizer(context, FINALIZER);
      return UpdateControl.noUpdate();
    }
    if (deletions.stream().anyMatch(j -> JobCompletion.finished(j).isEmpty())) {
      return UpdateControl.noUpdate();
    }
    Optional<Instant> retryAt = DataRetention.retryAt(deletions);
    if (retryAt.isPresent() && now.isBefore(retryAt.get())) {
      events.warning(
          job,
          "DataDeletionFailed",
          "deleting the data of "
              + name
              + " failed (see the logs of its Job's pods); retried at "
              + retryAt.get());
      return UpdateControl.<ExportJob>noUpdate()
          .rescheduleAfter(Duration.between(now, retryAt.get()).plusSeconds(1));
    }
    var check = new Preconditions(client, RecentReads.none(), settings).check(job, now);
    if (check.connections().isEmpty()) {
      events.warning(
          job,
          "DataDeletionBlocked",
          check.notReady().orElseThrow().message()
              + "; once fixed the data is deleted, or remove the finalizer "
              + FINALIZER
              + " to delete the ExportJob and keep its data");
      return UpdateControl.<ExportJob>noUpdate().rescheduleAfter(settings.preconditionRecheck());
    }
    if (exportsStopped(job, context, events)) {
      PruneJobs.start(
          job, check.connections().get(), settings, now, client, PruneJobs.Purpose.ALL_RUNS);
      return UpdateControl.noUpdate();
    }
    return UpdateControl.<ExportJob>noUpdate().rescheduleAfter(EXPORT_STOP_RECHECK);
  }

  /**
   * Whether no export pod of the job can still write: a run that uploads after the prune listed the
   * folder would leave its files behind a deleted ExportJob. Each unfinished run is suspended,
   * which makes the Job controller delete its pods; the ones the deleted CronJob's Jobs had go with
   * them. The prune starts once every export pod has ended or is gone.
   */
  private static boolean exportsStopped(
      ExportJob job, Context<ExportJob> context, EventRecorder events) {
    var client = context.getClient();
    // Listed, not read from the cache: a Job created a moment ago must be seen.
    List<Job> runs =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(job.getMetadata().getNamespace())
            .withLabel(ObjectLabels.EXPORT_JOB, job.getMetadata().getName())
            .list()
            .getItems();
    for (Job run : runs) {
      if (ObjectLabels.isPrune(run)
          || JobCompletion.finished(run).isPresent()
          || Boolean.TRUE.equals(run.getSpec().getSuspend())) {
        continue;
      }
      try {
        RunSuspension.set(client, run, true);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue; // gone with the CronJob
        }
        throw e;
      }
      events.normal(
          job,
          "RunStopped",
          "run "
              + run.getMetadata().getName()
              + " stopped: the ExportJob is being deleted with its data");
      LOG.info(
          "run stopped for data deletion exportjob={} namespace={} run={}",
          job.getMetadata().getName(),
          job.getMetadata().getNamespace(),
          run.getMetadata().getName());
    }
    return RunPods.ofExportJob(client, job).stream()
        .filter(p -> !ObjectLabels.isPrune(p))
        .allMatch(
            p ->
                "Succeeded".equals(p.getStatus().getPhase())
                    || "Failed".equals(p.getStatus().getPhase()));
  }
}
