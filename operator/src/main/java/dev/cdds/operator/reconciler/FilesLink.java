package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.SecretValues;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.S3Archive;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;

/**
 * A presigned link to a run's manifest in its bucket, so that a person told of the run in Slack
 * opens its files without credentials. Signed here with the destination's Secret (no request is
 * made); on a claim, or without the Secret, there is none.
 */
final class FilesLink {
  /** The longest a SigV4 presigned URL is valid. */
  static final Duration VALID_FOR = Duration.ofDays(7);

  private FilesLink() {}

  static Optional<String> of(ExportJob job, Optional<RunRecord> run, KubernetesClient client) {
    var output = job.getSpec().output;
    if (run.isEmpty()
        || run.get().result != RunResult.Succeeded
        || output == null
        || output.destination == null
        || output.destination.s3 == null) {
      return Optional.empty();
    }
    var s3 = output.destination.s3;
    var meta = job.getMetadata();
    Secret secret =
        client.secrets().inNamespace(meta.getNamespace()).withName(s3.secretRef.name).get();
    Optional<String> keyId = SecretValues.of(secret, "accessKeyId");
    Optional<String> key = SecretValues.of(secret, "secretAccessKey");
    if (keyId.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    try (var archive =
        S3Archive.connect(s3, keyId.get(), key.get(), meta.getNamespace(), meta.getName())) {
      return Optional.of(archive.presignedUrl(run.get().id, Manifest.FILE, VALID_FOR).toString());
    }
  }
}
