package dev.cdds.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
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

  private static final ObjectMapper CANONICAL =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

  private AppliedCronJob() {}

  /**
   * The hash of {@code desired} as the operator builds it, before annotating it: of its JSON with
   * every map's keys in order, since the order of a {@code Map.of} changes from one JVM to the next
   * and a restarted operator must find its own CronJobs current.
   */
  static String hash(CronJob desired) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(desired));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
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
