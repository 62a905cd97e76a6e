package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
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

  /** Every pod of the ExportJob's Jobs, export and prune alike. */
  static List<Pod> ofExportJob(KubernetesClient client, ExportJob job) {
    return client
        .pods()
        .inNamespace(job.getMetadata().getNamespace())
        .withLabel(ObjectLabels.EXPORT_JOB, job.getMetadata().getName())
        .list()
        .getItems();
  }
}
