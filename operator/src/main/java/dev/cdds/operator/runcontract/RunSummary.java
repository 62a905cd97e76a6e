package dev.cdds.operator.runcontract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * What an export pod says when it ends, as one line of JSON in its termination message; the
 * operator copies it into the run's history entry. Kubernetes keeps at most 4096 bytes of it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(
    String result,
    Long records,
    Long bytes,
    Integer files,
    String manifest,
    String windowStart,
    String windowEnd,
    Long skippedRecords,
    String error,
    Boolean endsRun) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A complete run; {@code skipped}: bad records it left out, as its job allows. */
  public static RunSummary succeeded(
      long records,
      long bytes,
      int files,
      String manifest,
      String windowStart,
      String windowEnd,
      long skipped) {
    return new RunSummary(
        "Succeeded",
        records,
        bytes,
        files,
        manifest,
        windowStart,
        windowEnd,
        skipped == 0 ? null : skipped,
        null,
        null);
  }

  /** A pod that ended well with nothing to count (a prune). */
  public static RunSummary done() {
    return new RunSummary("Succeeded", null, null, null, null, null, null, null, null, null);
  }

  public static RunSummary failed(String error) {
    return new RunSummary(
        "Failed", null, null, null, null, null, null, null, StatusText.bounded(error), null);
  }

  /**
   * A failure that no new attempt of this pod can mend, so the whole run fails at once: the pod
   * exits with {@link PodEnv#EXIT_ENDS_RUN}, which the Job's pod failure policy turns into the
   * Job's failure (a partitioned run whose shared snapshot is gone).
   */
  public static RunSummary failedRun(String error) {
    return new RunSummary(
        "Failed", null, null, null, null, null, null, null, StatusText.bounded(error), true);
  }

  /** This summary with {@code redaction} applied to its error, if it is a failure's. */
  public RunSummary redacted(Redaction redaction) {
    return error == null
        ? this
        : new RunSummary(
            result,
            records,
            bytes,
            files,
            manifest,
            windowStart,
            windowEnd,
            skippedRecords,
            StatusText.bounded(redaction.apply(error)),
            endsRun);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Empty when the message is not a summary (a crash's log tail, say). */
  public static Optional<RunSummary> parse(String terminationMessage) {
    if (terminationMessage == null || !terminationMessage.trim().startsWith("{")) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(terminationMessage.trim(), RunSummary.class));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
