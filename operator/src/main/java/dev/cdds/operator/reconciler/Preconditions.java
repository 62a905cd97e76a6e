package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.OutputEncryption;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Source;
import dev.cdds.operator.runcontract.RecipientCertificate;
import dev.cdds.operator.schedule.ScheduleCron;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What must exist before a job's pods can run: the source Secret, the destination, a valid time
 * zone. Checked before any pod is created, so a mistake shows as a condition on the ExportJob and
 * an Event, never as a crash-looping pod.
 */
final class Preconditions {
  static final List<String> SOURCE_KEYS = List.of("url", "user", "password");
  static final List<String> S3_KEYS = List.of("accessKeyId", "secretAccessKey");

  private final KubernetesClient client;
  private final RecentReads reads;
  private final OperatorSettings settings;

  Preconditions(KubernetesClient client, RecentReads reads, OperatorSettings settings) {
    this.client = client;
    this.reads = reads;
    this.settings = settings;
  }

  /**
   * The connections of a job that can run at {@code now}, or why it can't. What a failed check read
   * is not kept: the next check reads it again, as the person fixing it expects.
   */
  Result check(ExportJob job, Instant now) {
    Result result = checkOnce(job, now);
    if (result.notReady().isPresent()) {
      reads.forget(job.getMetadata().getNamespace());
    }
    return result;
  }

  private Result checkOnce(ExportJob job, Instant now) {
    String namespace = job.getMetadata().getNamespace();
    var spec = job.getSpec();
    if (spec.schedule.run != RunMode.Once) {
      try {
        ScheduleCron.of(spec.schedule);
      } catch (DateTimeException e) {
        return Result.notReady(
            "InvalidTimeZone",
            "spec.schedule.timeZone "
                + spec.schedule.timeZone
                + " is not a known IANA time zone: use a name such as Europe/Paris or UTC");
      }
    }
    String source = sourceSecret(spec.source);
    var missing = missingKeys(namespace, source, SOURCE_KEYS, "source", now);
    if (missing.isPresent()) {
      return Result.notReady(missing.get().reason(), missing.get().message());
    }
    var encryption = spec.output == null ? null : spec.output.encryption;
    if (encryption != null) {
      var problem = certificateProblem(namespace, encryption, now);
      if (problem.isPresent()) {
        return Result.notReady(problem.get().reason(), problem.get().message());
      }
    }
    var destination = spec.output == null ? null : spec.output.destination;
    if (destination != null && destination.s3 != null) {
      String secret = destination.s3.secretRef.name;
      missing = missingKeys(namespace, secret, S3_KEYS, "destination", now);
      return missing
          .map(m -> Result.notReady(m.reason(), m.message()))
          .orElseGet(
              () -> Result.ready(new Connections(source, Optional.empty(), Optional.of(secret))));
    }
    Optional<String> claim =
        destination != null && destination.pvc != null
            ? Optional.of(destination.pvc.claimName)
            : settings.defaultClaim();
    if (claim.isEmpty()) {
      return Result.notReady(
          "NoDestination",
          "no destination: set spec.output.destination, or install the operator with a default"
              + " destination");
    }
    if (reads.claim(client, namespace, claim.get(), now).isEmpty()) {
      return Result.notReady(
          "DestinationClaimMissing",
          "PersistentVolumeClaim "
              + claim.get()
              + " not found in namespace "
              + namespace
              + ": create it, or choose another destination");
    }
    return Result.ready(new Connections(source, claim, Optional.empty()));
  }

  static String sourceSecret(Source source) {
    return source.secretRef != null
        ? source.secretRef.name
        : "cdds-source-" + source.system.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Checked here so that a bad certificate shows on the ExportJob before a run is due; the export
   * pod checks it again before reading anything, in case it expired in between.
   */
  private Optional<NotReady> certificateProblem(
      String namespace, OutputEncryption encryption, Instant now) {
    String name = encryption.certificateSecretRef.name;
    String key = certificateKey(encryption);
    Secret secret = reads.secret(client, namespace, name, now).orElse(null);
    if (secret == null) {
      return Optional.of(
          new NotReady(
              "EncryptionSecretMissing",
              "Secret "
                  + name
                  + " not found in namespace "
                  + namespace
                  + ": create it with the recipient's PEM certificate under the key "
                  + key));
    }
    String value = secret.getData() == null ? null : secret.getData().get(key);
    if (value == null) {
      return Optional.of(
          new NotReady(
              "EncryptionSecretIncomplete",
              "Secret " + name + " lacks the key " + key + " (the recipient's PEM certificate)"));
    }
    try {
      RecipientCertificate.parse(
          new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII), now);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(
          new NotReady(
              "InvalidEncryptionCertificate",
              "spec.output.encryption: the certificate in Secret "
                  + name
                  + " key "
                  + key
                  + " "
                  + e.getMessage()));
    }
  }

  static String certificateKey(OutputEncryption encryption) {
    return encryption.certificateKey == null ? "tls.crt" : encryption.certificateKey;
  }

  private Optional<NotReady> missingKeys(
      String namespace, String name, List<String> keys, String role, Instant now) {
    Secret secret = reads.secret(client, namespace, name, now).orElse(null);
    String prefix = role.equals("source") ? "Source" : "Destination";
    if (secret == null) {
      return Optional.of(
          new NotReady(
              prefix + "SecretMissing",
              "Secret "
                  + name
                  + " not found in namespace "
                  + namespace
                  + ": create it with the keys "
                  + String.join(", ", keys)));
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    List<String> absent = keys.stream().filter(k -> !data.containsKey(k)).toList();
    if (!absent.isEmpty()) {
      return Optional.of(
          new NotReady(
              prefix + "SecretIncomplete",
              "Secret " + name + " lacks the key(s) " + String.join(", ", absent)));
    }
    return Optional.empty();
  }

  /** Either the connections of a job that can run, or why it can't. */
  record Result(Optional<Connections> connections, Optional<NotReady> notReady) {
    static Result ready(Connections connections) {
      return new Result(Optional.of(connections), Optional.empty());
    }

    static Result notReady(String reason, String message) {
      return new Result(Optional.empty(), Optional.of(new NotReady(reason, message)));
    }
  }
}
