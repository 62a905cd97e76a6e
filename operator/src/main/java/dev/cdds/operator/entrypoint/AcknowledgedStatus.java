package dev.cdds.operator.entrypoint;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.storage.RunTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The status of a run's ExportJob once the operator shows the run as current. The operator records
 * the previous run's outcome (and where its window ended) in the same status write that names the
 * new run current, so from then on status.exportedThrough is where this run must start; read
 * earlier, it could still be the value before the previous run, and the window would repeat it.
 */
final class AcknowledgedStatus {
  static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Duration POLL = Duration.ofMillis(250);

  private AcknowledgedStatus() {}

  /**
   * @throws IllegalStateException when the operator has not named the run current in time
   */
  static ExportJobStatus await(KubernetesClient client, RunTarget target, Clock clock)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(TIMEOUT);
    while (true) {
      ExportJob job =
          client
              .resources(ExportJob.class)
              .inNamespace(target.namespace())
              .withName(target.exportJob())
              .get();
      if (job == null) {
        throw new IllegalStateException(
            "exportjob " + target.namespace() + "/" + target.exportJob() + " does not exist");
      }
      var status = job.getStatus();
      if (status != null
          && status.currentRun != null
          && target.runId().equals(status.currentRun.id)) {
        return status;
      }
      if (clock.instant().isAfter(deadline)) {
        throw new IllegalStateException(
            "the operator has not shown run "
                + target.runId()
                + " as current in "
                + TIMEOUT.toMinutes()
                + " minutes, so where its window starts is unknown: is the operator running?");
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}
