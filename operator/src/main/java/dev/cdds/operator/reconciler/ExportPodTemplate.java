package dev.cdds.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdds.operator.api.ExportJob;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pods of a job: one export (the operator's image with the {@code export} entry point), or one
 * deletion of expired runs ({@code prune}, which gets no database credentials). Each carries the
 * job's settings as of when it was created, credentials only as Secret key references, and the
 * restricted pod security profile.
 */
final class ExportPodTemplate {
  static final String OUTPUT_DIR = "/export";
  static final String SPEC_ENV = "CDDS_SPEC";
  static final String TERMINATION_LOG = "/dev/termination-log";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportPodTemplate() {}

  static PodTemplateSpec of(ExportJob job, Connections connections, OperatorSettings settings) {
    return template(job, connections, settings, "export", List.of("export"));
  }

  /** A pod deleting the job's expired runs, or with {@code all} every run. */
  static PodTemplateSpec prune(
      ExportJob job, Connections connections, OperatorSettings settings, boolean all) {
    return template(
        job, connections, settings, "prune", all ? List.of("prune", "--all") : List.of("prune"));
  }

  private static PodTemplateSpec template(
      ExportJob job,
      Connections connections,
      OperatorSettings settings,
      String component,
      List<String> args) {
    boolean export = component.equals("export");
    List<EnvVar> env = new ArrayList<>();
    env.add(literal("CDDS_EXPORTJOB", job.getMetadata().getName()));
    env.add(literal("CDDS_EXPORTJOB_UID", job.getMetadata().getUid()));
    env.add(field("CDDS_NAMESPACE", "metadata.namespace"));
    // The Job controller labels each pod with its Job's name, which is the run id.
    env.add(field("CDDS_RUN_ID", "metadata.labels['job-name']"));
    env.add(literal(SPEC_ENV, specJson(job)));
    // Where the run summary goes, said explicitly so the exporter need not assume kubelet's
    // default.
    env.add(literal("CDDS_TERMINATION_LOG", TERMINATION_LOG));
    if (export) {
      env.add(secretKey("CDDS_SOURCE_URL", connections.sourceSecret(), "url"));
      env.add(secretKey("CDDS_SOURCE_USER", connections.sourceSecret(), "user"));
      env.add(secretKey("CDDS_SOURCE_PASSWORD", connections.sourceSecret(), "password"));
    }
    var encryption = job.getSpec().output == null ? null : job.getSpec().output.encryption;
    if (export && encryption != null) {
      env.add(
          secretKey(
              "CDDS_ENCRYPTION_CERTIFICATE",
              encryption.certificateSecretRef.name,
              Preconditions.certificateKey(encryption)));
    }
    if (export && !settings.sourceNames().tables().isEmpty()) {
      env.add(literal("CDDS_SOURCE_NAMES", settings.sourceNames().toJson()));
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
                  new VolumeMountBuilder().withName("output").withMountPath(OUTPUT_DIR).build());
              env.add(literal("CDDS_OUTPUT_DIR", OUTPUT_DIR));
            });
    connections
        .s3Secret()
        .ifPresent(
            secret -> {
              env.add(secretKey("CDDS_S3_ACCESS_KEY_ID", secret, "accessKeyId"));
              env.add(secretKey("CDDS_S3_SECRET_ACCESS_KEY", secret, "secretAccessKey"));
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
        .withTerminationMessagePath(TERMINATION_LOG)
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
    spec.remove(List.of("title", "description", "suspend", "historyLimit", "concurrencyPolicy"));
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
