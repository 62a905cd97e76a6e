package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJobCondition;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.runcontract.StatusConditions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reconciling and Stalled, the two conditions that kstatus (Flux, {@code kubectl wait}, cli-utils)
 * and our Argo CD health check read to tell a pipeline whether a job is settled. A run in progress
 * is not "reconciling": the job is what its spec says, and a pipeline must not wait hours for an
 * export (docs/gitops.md).
 */
final class KstatusConditions {
  private KstatusConditions() {}

  static List<ExportJobCondition> of(
      ExportJobStatus previous,
      ExportJobStatus status,
      Optional<NotReady> notReady,
      Optional<String> suspendedAfterFailures,
      Instant now) {
    boolean queued = status.currentRun != null && Boolean.TRUE.equals(status.currentRun.queued);
    var reconciling =
        StatusConditions.of(
            previous,
            StatusConditions.RECONCILING,
            queued,
            queued ? "RunQueued" : "Reconciled",
            queued
                ? "run "
                    + status.currentRun.id
                    + " waits for its start time plus jitter or a free turn at its source; the"
                    + " operator looks again every "
                    + Admission.QUEUED_RECHECK.toSeconds()
                    + " s"
                : "the operator acted on generation " + status.observedGeneration,
            now,
            status);
    Optional<NotReady> stalledBy =
        notReady.or(
            () -> suspendedAfterFailures.map(why -> new NotReady(FailureSuspension.REASON, why)));
    var stalled =
        StatusConditions.of(
            previous,
            StatusConditions.STALLED,
            stalledBy.isPresent(),
            stalledBy.map(NotReady::reason).orElse("CanProceed"),
            stalledBy.map(NotReady::message).orElse("nothing waits for a person"),
            now,
            status);
    return List.of(reconciling, stalled);
  }
}
