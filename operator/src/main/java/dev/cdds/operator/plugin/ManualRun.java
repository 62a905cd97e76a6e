package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.RunIds;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run started by hand, as {@code kubectl create job --from=cronjob/NAME} does: a Job from the
 * CronJob's template, owned by the CronJob, named like a scheduled run of this minute and annotated
 * as manual, so the operator records it in history and the next run's window starts where its
 * window ended.
 */
final class ManualRun {
  private ManualRun() {}

  /**
   * Starts it; its run id.
   *
   * @param annotations added to the Job's, besides the manual mark
   * @param env added to the export container's environment
   * @throws IllegalArgumentException saying why the job cannot run now
   */
  static String start(
      KubernetesClient client, ExportJob job, Map<String, String> annotations, List<EnvVar> env) {
    String name = job.getMetadata().getName();
    String namespace = job.getMetadata().getNamespace();
    if (job.getSpec().schedule.run == RunMode.Once) {
      throw new IllegalArgumentException(
          name + " is a one-time job: it runs once by itself; clone it to run it again");
    }
    if (job.getStatus() != null && job.getStatus().currentRun != null) {
      throw new IllegalArgumentException(
          name + " has a run in progress (" + job.getStatus().currentRun.id + "): wait for it");
    }
    CronJob cron = client.batch().v1().cronjobs().inNamespace(namespace).withName(name).get();
    if (cron == null) {
      throw new IllegalArgumentException(
          name + " has no CronJob yet: see kubectl cdds describe " + name);
    }
    String id = RunIds.of(name, Instant.now());
    if (client.batch().v1().jobs().inNamespace(namespace).withName(id).get() != null) {
      throw new IllegalArgumentException(
          "a run of " + name + " for this minute exists already (" + id + "): try in a minute");
    }
    var template = cron.getSpec().getJobTemplate();
    Map<String, String> allAnnotations = new HashMap<>();
    if (template.getMetadata().getAnnotations() != null) {
      allAnnotations.putAll(template.getMetadata().getAnnotations());
    }
    allAnnotations.put(ObjectLabels.MANUAL_RUN, "true");
    allAnnotations.putAll(annotations);
    var spec = template.getSpec();
    spec.getTemplate().getSpec().getContainers().get(0).getEnv().addAll(env);
    Job run =
        new JobBuilder()
            .withNewMetadata()
            .withName(id)
            .withNamespace(namespace)
            .withLabels(template.getMetadata().getLabels())
            .withAnnotations(allAnnotations)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("CronJob")
                    .withName(cron.getMetadata().getName())
                    .withUid(cron.getMetadata().getUid())
                    .build())
            .endMetadata()
            .withSpec(spec)
            .build();
    client.resource(run).create();
    return id;
  }
}
