package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.FieldManagers;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.ActivePeriod;
import dev.cdds.operator.schedule.ScheduleCron;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile step that applies what an ExportJob owns besides its runs: the exporter's
 * ServiceAccount, Role and RoleBinding, and for a recurring job its CronJob. Each is applied with
 * server-side apply, and only when it differs from what is observed (the CronJob: from what was
 * applied to it last, {@link AppliedCronJob}).
 */
final class OwnedObjects {
  private static final Logger LOG = LoggerFactory.getLogger(OwnedObjects.class);
  private static final int JOBS_KEPT = 3;

  private final OperatorSettings settings;

  /** The generation each CronJob had after this process applied it, by ExportJob uid. */
  private final Map<String, Long> appliedGenerations = new ConcurrentHashMap<>();

  OwnedObjects(OperatorSettings settings) {
    this.settings = settings;
  }

  /** Forgets a deleted ExportJob. */
  void forget(String uid) {
    appliedGenerations.remove(uid);
  }

  /** Applies what differs; whether the CronJob was applied now (a new schedule starts). */
  boolean apply(Observed observed, Connections connections, Context<ExportJob> context) {
    applyExporterAccess(observed, context);
    return !observed.once() && applyCronJob(observed, connections, context);
  }

  /**
   * Applies each of the exporter's ServiceAccount, Role and RoleBinding that is missing or changed.
   */
  private void applyExporterAccess(Observed observed, Context<ExportJob> context) {
    ExportJob job = observed.job();
    for (HasMetadata object : ExporterAccess.objects(job)) {
      object.getMetadata().setNamespace(job.getMetadata().getNamespace());
      object.getMetadata().setOwnerReferences(List.of(Owner.of(job)));
      Optional<HasMetadata> actual =
          observed.exporterAccess().stream()
              .filter(
                  a ->
                      a.getKind().equals(object.getKind())
                          && a.getMetadata().getName().equals(object.getMetadata().getName()))
              .findFirst();
      if (actual.filter(a -> ExporterAccess.matches(object, a)).isPresent()) {
        continue;
      }
      apply(object, actual, context);
      LOG.info(
          "exporter access applied exportjob={} namespace={} kind={} name={}",
          job.getMetadata().getName(),
          job.getMetadata().getNamespace(),
          object.getKind(),
          object.getMetadata().getName());
    }
  }

  private boolean applyCronJob(
      Observed observed, Connections connections, Context<ExportJob> context) {
    ExportJob job = observed.job();
    var cron = ScheduleCron.of(job.getSpec().schedule);
    if (!ActivePeriod.of(job.getSpec().schedule).cronJobWanted(cron, observed.now())) {
      // Before startAt (a CronJob created then would look back at times before it) or after
      // endAt, there is no schedule to run.
      observed
          .cronJob()
          .ifPresent(
              cronJob -> {
                // Its Jobs stay: a run started before endAt finishes and is recorded.
                context
                    .getClient()
                    .resource(cronJob)
                    .withPropagationPolicy(DeletionPropagation.ORPHAN)
                    .delete();
                LOG.info(
                    "cronjob deleted outside startAt-endAt exportjob={} namespace={}",
                    job.getMetadata().getName(),
                    job.getMetadata().getNamespace());
              });
      return false;
    }
    CronJob desired =
        new CronJobBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName())
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(ObjectLabels.of(job, "schedule"))
            .withOwnerReferences(Owner.of(job))
            .endMetadata()
            .withNewSpec()
            .withSchedule(cron.expression().toString())
            .withTimeZone(cron.zone().getId())
            .withSuspend(observed.suspended())
            .withConcurrencyPolicy(job.getSpec().concurrencyPolicy.name())
            .withStartingDeadlineSeconds(settings.startingDeadline().toSeconds())
            .withSuccessfulJobsHistoryLimit(JOBS_KEPT)
            .withFailedJobsHistoryLimit(JOBS_KEPT)
            .withNewJobTemplate()
            .withNewMetadata()
            .withLabels(ObjectLabels.of(job, "export"))
            .endMetadata()
            .withSpec(ExportPodTemplate.jobSpec(job, connections, settings))
            .endJobTemplate()
            .endSpec()
            .build();
    String hash = AppliedCronJob.hash(desired);
    String uid = job.getMetadata().getUid();
    if (observed.cronJob().isPresent()
        && AppliedCronJob.current(
            observed.cronJob().get(), hash, Optional.ofNullable(appliedGenerations.get(uid)))) {
      return false;
    }
    CronJob applied =
        apply(AppliedCronJob.annotated(desired, hash, observed.now()), observed.cronJob(), context);
    appliedGenerations.put(uid, applied.getMetadata().getGeneration());
    LOG.info(
        "cronjob applied exportjob={} namespace={} schedule=\"{}\" timeZone={} suspend={}",
        job.getMetadata().getName(),
        job.getMetadata().getNamespace(),
        cron.expression(),
        cron.zone(),
        job.getSpec().suspend);
    return true;
  }

  /**
   * Applies {@code desired} and puts what the server answered into the informer's cache at once:
   * the reconciliation its own change triggers could otherwise still see {@code previous} and apply
   * again (for a CronJob, a write: its applied-at annotation), which on a loaded API server
   * happened after the job was Ready.
   */
  private static <R extends HasMetadata> R apply(
      R desired, Optional<? extends HasMetadata> previous, Context<ExportJob> context) {
    R applied =
        context
            .getClient()
            .resource(desired)
            .fieldManager(FieldManagers.OPERATOR)
            .forceConflicts()
            .serverSideApply();
    @SuppressWarnings("unchecked")
    var cache =
        (RecentOperationCacheFiller<R>)
            context.eventSourceRetriever().getEventSourceFor(applied.getClass());
    var id = ResourceID.fromResource(applied);
    previous.ifPresentOrElse(
        p -> cache.handleRecentResourceUpdate(id, applied, (R) p),
        () -> cache.handleRecentResourceCreate(id, applied));
    return applied;
  }
}
