package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.SecretValues;
import dev.cdds.operator.storage.ClaimFolders;
import dev.cdds.operator.storage.DirectoryArchive;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.S3Archive;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A job's runs as seen from the user's machine: the bucket, with the credentials of the Secret the
 * ExportJob names (read with the user's own rights), or a claim whose directory is readable here
 * ({@code --claim-dir}).
 */
final class RunArchives {
  private RunArchives() {}

  static boolean onS3(ExportJob job) {
    var output = job.getSpec().output;
    return output != null && output.destination != null && output.destination.s3 != null;
  }

  /**
   * The job's runs.
   *
   * @throws IllegalArgumentException when they are on a claim and {@code claimDir} is not given
   */
  static ExportJobArchive open(KubernetesClient client, ExportJob job, Optional<Path> claimDir) {
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    if (onS3(job)) {
      return onS3(client, job);
    }
    Path mount =
        claimDir.orElseThrow(
            () ->
                new IllegalArgumentException(
                    "exportjob.cdds.dev/"
                        + name
                        + " writes to a PersistentVolumeClaim, not readable from here: give"
                        + " --claim-dir with the directory where it is mounted, or copy a run out"
                        + " with kubectl cdds download"));
    return new DirectoryArchive(mount, ClaimFolders.root(mount, job.getSpec()), namespace, name);
  }

  /** The job's runs in its bucket, with the credentials of its destination's Secret. */
  static S3Archive onS3(KubernetesClient client, ExportJob job) {
    String namespace = job.getMetadata().getNamespace();
    var s3 = job.getSpec().output.destination.s3;
    Secret secret = client.secrets().inNamespace(namespace).withName(s3.secretRef.name).get();
    if (secret == null || secret.getData() == null) {
      throw new IllegalArgumentException(
          "Secret " + s3.secretRef.name + " of the destination not found in " + namespace);
    }
    return S3Archive.connect(
        s3,
        decoded(secret, "accessKeyId"),
        decoded(secret, "secretAccessKey"),
        namespace,
        job.getMetadata().getName());
  }

  /**
   * The manifest of a run that completed.
   *
   * @throws IllegalArgumentException when the run has none
   * @throws IOException when storage cannot be read, or the manifest is not one to trust
   */
  static Manifest manifest(ExportJobArchive archive, String run) throws IOException {
    return archive
        .run(run)
        .completed()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "run " + run + " has no manifest in " + archive.location() + run + "/"));
  }

  private static String decoded(Secret secret, String key) {
    return SecretValues.of(secret, key)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Secret " + secret.getMetadata().getName() + " lacks the key " + key));
  }
}
