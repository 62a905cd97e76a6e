package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.RunIds;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code kubectl cdds run NAME}: runs a scheduled job now, as {@code kubectl create job
 * --from=cronjob/NAME} does: a Job from the CronJob's template, owned by the CronJob, named like a
 * scheduled run of this minute and annotated as manual, so the operator records it in history.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Starts a run of a scheduled ExportJob now; history shows it as manual.")
final class RunCommand extends NamedExportJobCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      ExportJob job = ExportJobLookup.get(client, namespace, name);
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
      Map<String, String> annotations = new HashMap<>();
      if (template.getMetadata().getAnnotations() != null) {
        annotations.putAll(template.getMetadata().getAnnotations());
      }
      annotations.put(ObjectLabels.MANUAL_RUN, "true");
      Job run =
          new JobBuilder()
              .withNewMetadata()
              .withName(id)
              .withNamespace(namespace)
              .withLabels(template.getMetadata().getLabels())
              .withAnnotations(annotations)
              .withOwnerReferences(
                  new OwnerReferenceBuilder()
                      .withApiVersion("batch/v1")
                      .withKind("CronJob")
                      .withName(cron.getMetadata().getName())
                      .withUid(cron.getMetadata().getUid())
                      .build())
              .endMetadata()
              .withSpec(template.getSpec())
              .build();
      client.resource(run).create();
      var out = spec.commandLine().getOut();
      out.println("run " + id + " of exportjob.cdds.dev/" + name + " started");
      out.flush();
      return 0;
    }
  }
}
