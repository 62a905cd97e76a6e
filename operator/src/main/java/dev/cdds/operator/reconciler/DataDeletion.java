package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.retention.DataRetention;
import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
    var check = new Preconditions(client, settings).check(job, now);
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
    PruneJobs.start(job, check.connections().get(), settings, now, client, true);
    return UpdateControl.noUpdate();
  }
}
