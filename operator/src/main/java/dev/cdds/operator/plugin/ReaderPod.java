package dev.cdds.operator.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.RestrictedPod;
import dev.cdds.operator.storage.ClaimFolders;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * How to copy a run off a PersistentVolumeClaim: a short-lived pod mounting the claim read-only,
 * with an image that has tar ({@code kubectl cp} needs it; the operator's distroless image has
 * none), restricted like the export pods.
 */
final class ReaderPod {
  static final String IMAGE = "busybox:1.37";
  private static final String MOUNT = "/export";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReaderPod() {}

  static String instructions(KubernetesClient client, ExportJob job, String run) {
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    String claim = claim(client, job).orElse("<the operator's default claim>");
    String pod = "cdds-read-" + name;
    String inVolume = ClaimFolders.folder(job.getSpec()) + namespace + "/" + name + "/" + run;
    String path = MOUNT + "/" + inVolume;
    String kubectl = "kubectl -n " + namespace + " ";
    return "Run "
        + run
        + " of exportjob.cdds.dev/"
        + name
        + " is on PersistentVolumeClaim "
        + claim
        + ", in "
        + inVolume
        + "/.\n"
        + "Copy it out through a short-lived reader pod:\n\n  "
        + kubectl
        + "run "
        + pod
        + " --image="
        + IMAGE
        + " --restart=Never --overrides='"
        + overrides(claim)
        + "'\n  "
        + kubectl
        + "wait --for=condition=Ready pod/"
        + pod
        + "\n  "
        + kubectl
        + "cp "
        + pod
        + ":"
        + path
        + " ./"
        + run
        + "\n  "
        + kubectl
        + "delete pod "
        + pod
        + "\n\nThen check the files against the SHA-256 in ./"
        + run
        + "/manifest.json (sha256sum).\n";
  }

  /** The claim the job's pods mount: the spec's, or the operator's default as its pods show. */
  private static Optional<String> claim(KubernetesClient client, ExportJob job) {
    var output = job.getSpec().output;
    if (output != null && output.destination != null && output.destination.pvc != null) {
      return Optional.of(output.destination.pvc.claimName);
    }
    CronJob cronJob =
        client
            .batch()
            .v1()
            .cronjobs()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .get();
    return Optional.ofNullable(cronJob).stream()
        .flatMap(
            c ->
                c
                    .getSpec()
                    .getJobTemplate()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getVolumes()
                    .stream())
        .map(Volume::getPersistentVolumeClaim)
        .filter(java.util.Objects::nonNull)
        .map(c -> c.getClaimName())
        .findFirst();
  }

  private static String overrides(String claim) {
    PodSpec spec =
        new PodSpecBuilder()
            .withSecurityContext(RestrictedPod.pod())
            .addNewVolume()
            .withName("export")
            .withNewPersistentVolumeClaim(claim, true)
            .endVolume()
            .addNewContainer()
            .withName("reader")
            .withImage(IMAGE)
            .withCommand("sleep", "3600")
            .addNewVolumeMount()
            .withName("export")
            .withMountPath(MOUNT)
            .withReadOnly(true)
            .endVolumeMount()
            .withSecurityContext(RestrictedPod.container())
            .endContainer()
            .build();
    ObjectNode pod = JSON.createObjectNode();
    pod.put("apiVersion", "v1");
    pod.set("spec", JSON.valueToTree(spec));
    return pod.toString();
  }
}
