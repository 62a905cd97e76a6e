package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Size;

/**
 * Written by the pod that last deleted expired runs: an export pod after its run, or a prune pod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionStatus {
  @JsonPropertyDescription("When the destination was last checked for expired runs (RFC 3339).")
  public String checkedAt;

  @JsonPropertyDescription(
      "Every run scheduled at or before this time has been deleted from the destination (RFC"
          + " 3339).")
  public String deletedUpTo;

  @JsonPropertyDescription(
      "Scheduled time of the oldest run still kept at the destination (RFC 3339); absent when"
          + " none is. The operator deletes it once it is older than spec.output.retentionDays.")
  public String oldestKeptRun;

  // An int: a larger number would be stored and then unreadable.
  @Max(2147483647)
  @JsonPropertyDescription("Runs still kept at the destination.")
  public Integer keptRuns;

  @Size(max = 512)
  @JsonPropertyDescription(
      "Why the last deletion failed, if it did; it is retried. Absent after a success.")
  public String error;
}
