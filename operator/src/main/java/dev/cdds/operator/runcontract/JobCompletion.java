package dev.cdds.operator.runcontract;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;

/** How a Kubernetes Job that runs an export or prune pod says that it ended. */
public final class JobCompletion {
  private JobCompletion() {}

  /** The Job's Complete or Failed condition, once it has one. */
  public static Optional<JobCondition> finished(Job job) {
    if (job.getStatus() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> "True".equals(c.getStatus()))
        .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
        .findFirst();
  }

  public static boolean finishedAs(Job job, String type) {
    return finished(job).map(c -> type.equals(c.getType())).orElse(false);
  }
}
