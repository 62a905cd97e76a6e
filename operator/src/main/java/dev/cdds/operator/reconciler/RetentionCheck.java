package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.retention.DataRetention;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The reconcile step for retention: marks the runs the destination no longer holds as expired or
 * deleted, adds the Retention condition, and starts a prune Job for the runs a person asked to
 * delete ({@link RequestedDeletion}) once no expired run is waiting for one: one at a time.
 */
final class RetentionCheck {
  private RetentionCheck() {}

  /**
   * Completes {@code status}; when the operator must look again: the next expiry, the retry of a
   * failed prune, a requested deletion that waits for the next minute.
   */
  static Optional<Instant> apply(
      Observed observed,
      ExportJobStatus status,
      Optional<Connections> connections,
      OperatorSettings settings,
      KubernetesClient client) {
    var retention = DataRetention.of(observed.job());
    Instant now = observed.now();
    status.history = retention.markExpired(status.history);
    status.history = RequestedDeletion.markDeleted(status.history, observed.pruneJobs());
    status.conditions =
        Stream.concat(
                status.conditions.stream(),
                Stream.of(retention.condition(observed.previous(), now, status)))
            .toList();
    boolean expiredPrune =
        connections.isPresent() && retention.pruneDue(status, observed.pruneJobs(), now);
    if (expiredPrune) {
      PruneJobs.start(
          observed.job(), connections.get(), settings, now, client, PruneJobs.Purpose.EXPIRED);
    }
    Optional<Instant> requested =
        expiredPrune
            ? Optional.empty()
            : RequestedDeletion.startIfPending(observed, status, connections, settings, client);
    return Wakeups.earliest(retention.wakeUp(status, observed.pruneJobs(), now), requested);
  }
}
