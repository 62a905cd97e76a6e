package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The pods of a run's Job, read from the API server when a step needs them (never cached). */
final class RunPods {
  /** The label the Job controller gives each pod of an Indexed Job: its index. */
  private static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

  private RunPods() {}

  private static final Comparator<Pod> OLDEST_FIRST =
      Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp());

  /** The Job's latest attempt. */
  static Optional<Pod> newest(KubernetesClient client, Job job) {
    return ofJob(client, job).stream().max(OLDEST_FIRST);
  }

  /**
   * The pods whose termination message may say how the Job's run ended, latest first: the latest
   * attempt; in an Indexed Job (a partitioned run), partition 0's once the Job is complete (it
   * published the run), else the pods that failed.
   */
  static List<Pod> saying(KubernetesClient client, Job job) {
    if (!"Indexed".equals(job.getSpec().getCompletionMode())) {
      return newest(client, job).stream().toList();
    }
    boolean complete = JobCompletion.finishedAs(job, "Complete");
    return ofJob(client, job).stream()
        .filter(p -> complete ? "0".equals(index(p)) : failed(p))
        .sorted(OLDEST_FIRST.reversed())
        .toList();
  }

  private static List<Pod> ofJob(KubernetesClient client, Job job) {
    return client
        .pods()
        .inNamespace(job.getMetadata().getNamespace())
        .withLabel("job-name", job.getMetadata().getName())
        .list()
        .getItems();
  }

  private static String index(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(COMPLETION_INDEX);
  }

  private static boolean failed(Pod pod) {
    return pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase());
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
