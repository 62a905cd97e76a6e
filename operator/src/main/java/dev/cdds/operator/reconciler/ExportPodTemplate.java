package dev.cdds.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.runcontract.PodEnv;
import dev.cdds.operator.runcontract.RestrictedPod;
import dev.cdds.operator.schedule.SpecDuration;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pods of a job: one export (the operator's image with the {@code export} entry point), or one
 * deletion of expired runs ({@code prune}, which gets no database credentials). Each carries the
 * job's settings as of when it was created, credentials only as Secret key references, and the
 * restricted pod security profile.
 */
final class ExportPodTemplate {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportPodTemplate() {}

  /** The Job of one export run, as a one-time job's Job or a CronJob's template. */
  static JobSpec jobSpec(ExportJob job, Connections connections, OperatorSettings settings) {
    var spec =
        new JobSpecBuilder()
            // No pod until the operator lets it start (Admission): jitter, and the source's turn.
            .withSuspend(true)
            .withActiveDeadlineSeconds(
                Optional.ofNullable(job.getSpec().runTimeout)
                    .map(t -> SpecDuration.parse(t, "spec.runTimeout"))
                    .orElse(settings.runTimeout())
                    .toSeconds())
            .withTemplate(of(job, connections, settings));
    int parallelism = Output.parallelism(job.getSpec().output);
    if (parallelism == 1) {
      return spec.withBackoffLimit(settings.backoffLimit()).build();
    }
    // One pod per partition, each retried alone; the run fails once one partition has used up
    // its retries, or when partition 0's snapshot is lost (its pod's exit code says so).
    return spec.withCompletionMode("Indexed")
        .withCompletions(parallelism)
        .withParallelism(parallelism)
        .withBackoffLimitPerIndex(settings.backoffLimit())
        .withMaxFailedIndexes(0)
        .withNewPodFailurePolicy()
        .addNewRule()
        .withAction("FailJob")
        .withNewOnExitCodes()
        .withContainerName("export")
        .withOperator("In")
        .withValues(PodEnv.EXIT_ENDS_RUN)
        .endOnExitCodes()
        .endRule()
        .endPodFailurePolicy()
        .build();
  }

  static PodTemplateSpec of(ExportJob job, Connections connections, OperatorSettings settings) {
    return template(job, connections, settings, "export", List.of("export"));
  }

  /** A pod deleting runs of the job: which ones, its {@code args} say ({@link PruneJobs}). */
  static PodTemplateSpec prune(
      ExportJob job, Connections connections, OperatorSettings settings, List<String> args) {
    return template(job, connections, settings, "prune", args);
  }

  private static PodTemplateSpec template(
      ExportJob job,
      Connections connections,
      OperatorSettings settings,
      String component,
      List<String> args) {
    boolean export = component.equals("export");
    List<EnvVar> env = new ArrayList<>();
    env.add(literal(PodEnv.EXPORTJOB, job.getMetadata().getName()));
    env.add(literal(PodEnv.EXPORTJOB_UID, job.getMetadata().getUid()));
    env.add(field(PodEnv.NAMESPACE, "metadata.namespace"));
    // The Job controller labels each pod with its Job's name, which is the run id.
    env.add(field(PodEnv.RUN_ID, "metadata.labels['job-name']"));
    env.add(literal(PodEnv.SPEC, specJson(job)));
    // Where the run summary goes, said explicitly so the exporter need not assume kubelet's
    // default.
    env.add(literal(PodEnv.TERMINATION_LOG, PodEnv.TERMINATION_LOG_PATH));
    if (export) {
      env.add(secretKey(PodEnv.SOURCE_URL, connections.sourceSecret(), "url"));
      env.add(secretKey(PodEnv.SOURCE_USER, connections.sourceSecret(), "user"));
      env.add(secretKey(PodEnv.SOURCE_PASSWORD, connections.sourceSecret(), "password"));
    }
    var encryption = job.getSpec().output == null ? null : job.getSpec().output.encryption;
    if (export && encryption != null) {
      env.add(
          secretKey(
              PodEnv.ENCRYPTION_CERTIFICATE,
              encryption.certificateSecretRef.name,
              Preconditions.certificateKey(encryption)));
    }
    if (export && !settings.sourceNames().tables().isEmpty()) {
      env.add(literal(PodEnv.SOURCE_NAMES, settings.sourceNames().toJson()));
    }
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    connections
        .claim()
        .ifPresent(
            claim -> {
              volumes.add(
                  new VolumeBuilder()
                      .withName("output")
                      .withNewPersistentVolumeClaim()
                      .withClaimName(claim)
                      .endPersistentVolumeClaim()
                      .build());
              mounts.add(
                  new VolumeMountBuilder()
                      .withName("output")
                      .withMountPath(PodEnv.OUTPUT_MOUNT)
                      .build());
              env.add(literal(PodEnv.OUTPUT_DIR, PodEnv.OUTPUT_MOUNT));
            });
    connections
        .s3Secret()
        .ifPresent(
            secret -> {
              env.add(secretKey(PodEnv.S3_ACCESS_KEY_ID, secret, "accessKeyId"));
              env.add(secretKey(PodEnv.S3_SECRET_ACCESS_KEY, secret, "secretAccessKey"));
            });

    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(ObjectLabels.of(job, component))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(ExporterAccess.name(job))
        .withSecurityContext(RestrictedPod.pod())
        .addNewContainer()
        .withName(component)
        .withImage(settings.exportImage())
        .withArgs(args)
        .withEnv(env)
        .withVolumeMounts(mounts)
        .withResources(settings.exportResources())
        .withTerminationMessagePath(PodEnv.TERMINATION_LOG_PATH)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(RestrictedPod.container())
        .endContainer()
        .withVolumes(volumes)
        .endSpec()
        .build();
  }

  /** The settings a run needs, frozen into the pod so that an edit never changes a started run. */
  private static String specJson(ExportJob job) {
    ObjectNode spec = JSON.valueToTree(job.getSpec());
    spec.remove(
        List.of(
            "title",
            "description",
            "suspend",
            "historyLimit",
            "concurrencyPolicy",
            "runTimeout",
            "suspendAfterFailures"));
    try {
      return JSON.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar field(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        // fieldRef is an atomic struct: say the default apiVersion, or every comparison differs.
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(path)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static EnvVar secretKey(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef(key, secret, false)
        .endValueFrom()
        .build();
  }
}
