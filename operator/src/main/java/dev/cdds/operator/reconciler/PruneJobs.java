package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs that delete runs from the destination: the expired ones ({@code <exportjob>-p<minute>}), or
 * all of them when the ExportJob goes ({@code <exportjob>-d<minute>}). Named after the minute they
 * start, so that a reconciliation repeated before the informer shows the Job does not start a
 * second one.
 */
final class PruneJobs {
  private static final Logger LOG = LoggerFactory.getLogger(PruneJobs.class);
  private static final int RETRIES = 2;
  private static final int KEPT_SECONDS = 86400;

  private PruneJobs() {}

  static void start(
      ExportJob job,
      Connections connections,
      OperatorSettings settings,
      Instant now,
      KubernetesClient client,
      boolean all) {
    Job prune =
        new JobBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName() + (all ? "-d" : "-p") + now.getEpochSecond() / 60)
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(ObjectLabels.of(job, ObjectLabels.PRUNE))
            .withOwnerReferences(Owner.of(job))
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(RETRIES)
            .withTtlSecondsAfterFinished(KEPT_SECONDS)
            .withTemplate(ExportPodTemplate.prune(job, connections, settings, all))
            .endSpec()
            .build();
    try {
      client.resource(prune).create();
      LOG.info(
          "{} started exportjob={} namespace={} job={}",
          all ? "deletion of all runs" : "prune",
          job.getMetadata().getName(),
          job.getMetadata().getNamespace(),
          prune.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** Whether {@code job} deletes every run (it was started by {@link #start} with {@code all}). */
  static boolean deletesAll(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().contains("--all");
  }
}
