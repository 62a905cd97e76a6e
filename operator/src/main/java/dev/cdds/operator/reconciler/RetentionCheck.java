package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.retention.DataRetention;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The reconcile step for retention: marks the runs the destination no longer holds as expired, adds
 * the Retention condition, and starts a prune Job when the oldest kept run has expired.
 */
final class RetentionCheck {
  private RetentionCheck() {}

  /** Completes {@code status}; when the operator must look again for the next expiry. */
  static Optional<Instant> apply(
      Observed observed,
      ExportJobStatus status,
      Optional<Connections> connections,
      OperatorSettings settings,
      KubernetesClient client) {
    var retention = DataRetention.of(observed.job());
    Instant now = observed.now();
    status.history = retention.markExpired(status.history);
    status.conditions =
        Stream.concat(
                status.conditions.stream(),
                Stream.of(retention.condition(observed.previous(), now, status)))
            .toList();
    if (connections.isPresent() && retention.pruneDue(status, observed.pruneJobs(), now)) {
      PruneJobs.start(observed.job(), connections.get(), settings, now, client, false);
    }
    return retention.wakeUp(status, observed.pruneJobs(), now);
  }
}
