package dev.cdds.operator.reconciler;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * What the operator last applied to a CronJob, said by the CronJob itself: a hash of the applied
 * object and when it was applied, as annotations. Comparing hashes needs neither the CronJob's
 * managedFields nor its job template in the cache, which at thousands of jobs are most of it
 * ({@link LeanCronJobStore}); a CronJob deleted, or made by an older operator, has no hash and is
 * applied.
 */
final class AppliedCronJob {
  static final String HASH = "cdds.dev/applied-hash";
  static final String APPLIED_AT = "cdds.dev/applied-at";

  private AppliedCronJob() {}

  /** The hash of {@code desired} as the operator builds it, before annotating it. */
  static String hash(CronJob desired) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether {@code observed} is what applying {@code hash} made, and (when this process applied it)
   * not edited since: still at {@code appliedGeneration}.
   */
  static boolean current(CronJob observed, String hash, Optional<Long> appliedGeneration) {
    var annotations = observed.getMetadata().getAnnotations();
    return annotations != null
        && hash.equals(annotations.get(HASH))
        && appliedGeneration
            .map(g -> g.equals(observed.getMetadata().getGeneration()))
            .orElse(true);
  }

  /** {@code desired} with the annotations saying what was applied, and when. */
  static CronJob annotated(CronJob desired, String hash, Instant now) {
    var annotations = new LinkedHashMap<String, String>();
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    annotations.put(HASH, hash);
    annotations.put(APPLIED_AT, now.toString());
    desired.getMetadata().setAnnotations(annotations);
    return desired;
  }

  /** When the operator last applied {@code cronJob}, if it says so. */
  static Optional<Instant> appliedAt(CronJob cronJob) {
    var annotations = cronJob.getMetadata().getAnnotations();
    String at = annotations == null ? null : annotations.get(APPLIED_AT);
    try {
      return Optional.ofNullable(at).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
