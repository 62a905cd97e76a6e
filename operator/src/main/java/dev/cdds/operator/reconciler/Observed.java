package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The first step of a reconciliation: what the operator sees of one ExportJob at one instant, read
 * from its informers' caches only. Every later step decides from this, so none reads the world
 * again.
 *
 * @param exportJobs the Jobs running or having run its exports (by the schedule, by hand or once)
 * @param pruneJobs the Jobs deleting its runs from the destination
 * @param exporterAccess the ServiceAccount, Role and RoleBinding its export pods run as
 */
record Observed(
    ExportJob job,
    Instant now,
    List<Job> exportJobs,
    List<Job> pruneJobs,
    Optional<CronJob> cronJob,
    List<HasMetadata> exporterAccess) {

  static Observed of(ExportJob job, Context<ExportJob> context, Instant now) {
    List<Job> exports = new ArrayList<>();
    List<Job> prunes = new ArrayList<>();
    for (Job j : context.getSecondaryResources(Job.class)) {
      (ObjectLabels.isPrune(j) ? prunes : exports).add(j);
    }
    List<HasMetadata> access = new ArrayList<>();
    access.addAll(context.getSecondaryResources(ServiceAccount.class));
    access.addAll(context.getSecondaryResources(Role.class));
    access.addAll(context.getSecondaryResources(RoleBinding.class));
    return new Observed(
        job,
        now,
        List.copyOf(exports),
        List.copyOf(prunes),
        context.getSecondaryResource(CronJob.class),
        List.copyOf(access));
  }

  /** The same observation with a Job this reconciliation just created. */
  Observed withExportJob(Job created) {
    return new Observed(
        job,
        now,
        Stream.concat(exportJobs.stream(), Stream.of(created)).toList(),
        pruneJobs,
        cronJob,
        exporterAccess);
  }

  /** The same observation with a Job as this reconciliation just changed it. */
  Observed withUpdatedExportJob(Job updated) {
    return new Observed(
        job,
        now,
        exportJobs.stream()
            .map(
                j ->
                    j.getMetadata().getName().equals(updated.getMetadata().getName()) ? updated : j)
            .toList(),
        pruneJobs,
        cronJob,
        exporterAccess);
  }

  /** The status as stored; an empty one for a job never reconciled. */
  ExportJobStatus previous() {
    return job.getStatus() == null ? new ExportJobStatus() : job.getStatus();
  }

  boolean once() {
    return job.getSpec().schedule.run == RunMode.Once;
  }

  boolean suspendedBySpec() {
    return Boolean.TRUE.equals(job.getSpec().suspend);
  }

  /** Why a scheduled job is suspended after consecutive failed runs, if it is. */
  Optional<String> suspendedAfterFailures() {
    return FailureSuspension.of(
        job, previous().history == null ? List.of() : previous().history, exportJobs);
  }

  /** Whether no new run may start: by spec, or after failures. */
  boolean suspended() {
    return suspendedBySpec() || suspendedAfterFailures().isPresent();
  }

  /** When this operator last applied the CronJob: an edit or resume starts a new schedule. */
  Optional<Instant> cronJobAppliedAt() {
    return cronJob.flatMap(AppliedCronJob::appliedAt);
  }

  /** A one-time job's start: its startAt, else when it was created. */
  Optional<Instant> onceStartAt() {
    return Optional.ofNullable(job.getSpec().schedule.startAt).map(Instant::parse);
  }
}
