package dev.cdds.operator.reconciler;

import dev.cdds.operator.runcontract.SourceNames;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import java.util.Optional;

/**
 * Install-time configuration of the operator (Helm values, command-line flags).
 *
 * @param exportImage image of the export pods: this operator's own image, run with {@code export}
 * @param exportResources requests and limits of each export pod
 * @param defaultClaim PersistentVolumeClaim for jobs that name no destination, if any
 * @param startingDeadline how late a run may still start after a controller outage; past it the run
 *     is recorded as Missed
 * @param backoffLimit retries of a failed export pod before the run fails
 * @param runTimeout how long a run may take unless its job says
 * @param pendingTimeout how long a run's pod may wait to start before the run fails
 * @param maxConcurrentExportsPerSource runs of one source Secret at once in a namespace; 0: any
 * @param defaultJitter the spread of scheduled starts for jobs that set no spec.schedule.jitter
 * @param preconditionRecheck how soon a job whose Secret or PVC is missing is checked again
 * @param sourceNames the source database's table and column names, passed on to the export pods
 * @param notifications how long spec.notify's deliveries are retried
 */
public record OperatorSettings(
    String exportImage,
    ResourceRequirements exportResources,
    Optional<String> defaultClaim,
    Duration startingDeadline,
    int backoffLimit,
    Duration runTimeout,
    Duration pendingTimeout,
    int maxConcurrentExportsPerSource,
    Duration defaultJitter,
    Duration preconditionRecheck,
    SourceNames sourceNames,
    NotificationSettings notifications) {

  public OperatorSettings withNotifications(NotificationSettings notifications) {
    return new OperatorSettings(
        exportImage,
        exportResources,
        defaultClaim,
        startingDeadline,
        backoffLimit,
        runTimeout,
        pendingTimeout,
        maxConcurrentExportsPerSource,
        defaultJitter,
        preconditionRecheck,
        sourceNames,
        notifications);
  }
}
