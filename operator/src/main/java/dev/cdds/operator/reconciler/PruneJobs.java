package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs that delete runs from the destination: the expired ones ({@code <exportjob>-p<minute>}), all
 * of them when the ExportJob goes ({@code <exportjob>-d<minute>}), or those a person asked to
 * delete ({@code <exportjob>-r<minute>}). Named after the minute they start, so that a
 * reconciliation repeated before the informer shows the Job does not start a second one.
 */
final class PruneJobs {
  private static final Logger LOG = LoggerFactory.getLogger(PruneJobs.class);
  private static final int RETRIES = 2;
  private static final int KEPT_SECONDS = 86400;
  private static final String ALL = "--all";
  private static final String RUN = "--run";

  private PruneJobs() {}

  /** What the operator tells a prune Job to do, and how its Job is named. */
  record Purpose(String what, String suffix, List<String> args) {
    static final Purpose EXPIRED = new Purpose("prune", "-p", List.of("prune"));
    static final Purpose ALL_RUNS =
        new Purpose("deletion of all runs", "-d", List.of("prune", ALL));

    static Purpose requested(Collection<String> runIds) {
      List<String> args = new ArrayList<>(List.of("prune"));
      runIds.forEach(id -> args.addAll(List.of(RUN, id)));
      String runs = runIds.size() + (runIds.size() == 1 ? " run" : " runs");
      return new Purpose("deletion of " + runs + " on request", "-r", args);
    }
  }

  /** Whether the Job was created: not when one of its name exists (started this minute). */
  static boolean start(
      ExportJob job,
      Connections connections,
      OperatorSettings settings,
      Instant now,
      KubernetesClient client,
      Purpose purpose) {
    Job prune =
        new JobBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName() + purpose.suffix() + now.getEpochSecond() / 60)
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(ObjectLabels.of(job, ObjectLabels.PRUNE))
            .withOwnerReferences(Owner.of(job))
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(RETRIES)
            .withTtlSecondsAfterFinished(KEPT_SECONDS)
            .withTemplate(ExportPodTemplate.prune(job, connections, settings, purpose.args()))
            .endSpec()
            .build();
    try {
      client.resource(prune).create();
      LOG.info(
          "{} started exportjob={} namespace={} job={}",
          purpose.what(),
          job.getMetadata().getName(),
          job.getMetadata().getNamespace(),
          prune.getMetadata().getName());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return false;
    }
  }

  /** Whether {@code job} deletes every run (started for {@link Purpose#ALL_RUNS}). */
  static boolean deletesAll(Job job) {
    return args(job).contains(ALL);
  }

  /** The runs {@code job} deletes on request (started for {@link Purpose#requested}). */
  static List<String> requestedRuns(Job job) {
    List<String> args = args(job);
    List<String> runs = new ArrayList<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals(RUN)) {
        runs.add(args.get(i + 1));
      }
    }
    return runs;
  }

  private static List<String> args(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }
}
