package dev.cdds.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.Optional;

/** The pods of a run's Job, read from the API server when a step needs them (never cached). */
final class RunPods {
  private RunPods() {}

  /** The Job's latest attempt. */
  static Optional<Pod> newest(KubernetesClient client, Job job) {
    return client
        .pods()
        .inNamespace(job.getMetadata().getNamespace())
        .withLabel("job-name", job.getMetadata().getName())
        .list()
        .getItems()
        .stream()
        .max(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()));
  }
}
