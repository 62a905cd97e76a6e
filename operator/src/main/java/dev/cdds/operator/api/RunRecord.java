package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One finished run, as the History page lists it. The file list lives in the run's manifest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunRecord {
  @Required
  @Size(max = 63)
  @JsonPropertyDescription("Run id.")
  public String id;

  @JsonPropertyDescription("When the run was due (RFC 3339).")
  public String scheduledAt;

  @JsonPropertyDescription("When it started; absent for a Missed run.")
  public String startedAt;

  @JsonPropertyDescription("When it ended.")
  public String finishedAt;

  @JsonPropertyDescription("Start of the exported window, inclusive; absent for All.")
  public String windowStart;

  @JsonPropertyDescription("End of the exported window, exclusive.")
  public String windowEnd;

  @JsonPropertyDescription(
      "true for a run started by hand (kubectl cdds run) rather than by the schedule.")
  public Boolean manual;

  @JsonPropertyDescription(
      "true for the run a recurring job started when it was created (spec.schedule"
          + ".startImmediately).")
  public Boolean immediate;

  @Size(max = 63)
  @JsonPropertyDescription(
      "For a run started by kubectl cdds rerun: the id of the run whose window it exported again.")
  public String rerunOf;

  @JsonPropertyDescription(
      "Start of data no run exported (RFC 3339): the previous run's window ended here, and this"
          + " run could catch up only from gapEnd (timeframe.maxCatchUp).")
  public String gapStart;

  @JsonPropertyDescription(
      "End of data no run exported, exclusive: where this run's window starts.")
  public String gapEnd;

  @Required
  @JsonPropertyDescription("Succeeded, Failed, Missed or Cancelled.")
  public RunResult result;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Why a run failed, in one word: DeadlineExceeded (it ran longer than spec.runTimeout),"
          + " BackoffLimitExceeded (its pod failed on every attempt), or Kubernetes' reason.")
  public String reason;

  @Min(0)
  @JsonPropertyDescription("Records exported.")
  public Long records;

  @Min(0)
  @JsonPropertyDescription(
      "Bad records left out under spec.output.onBadRecord: Skip; the manifest lists their ids.")
  public Long skippedRecords;

  @Min(0)
  @JsonPropertyDescription("Bytes written to the destination.")
  public Long bytes;

  // An int: a larger number would be stored and then unreadable.
  @Max(2147483647)
  @Min(0)
  @JsonPropertyDescription("Number of files written, manifest excluded.")
  public Integer files;

  // An int: a larger number would be stored and then unreadable.
  @Max(2147483647)
  @Min(0)
  @JsonPropertyDescription("Attempts the run took (1 unless a pod failed and was retried).")
  public Integer attempts;

  @Size(max = 512)
  @JsonPropertyDescription("Location of the run's manifest.json, which lists every file.")
  public String manifest;

  @JsonPropertyDescription(
      "True once the run's files and manifest were deleted from the destination because they"
          + " were older than spec.output.retentionDays.")
  public Boolean expired;

  @JsonPropertyDescription(
      "True once the run's files and manifest were deleted from the destination at a person's"
          + " request (kubectl cdds files delete, annotation cdds.dev/delete-runs).")
  public Boolean deleted;

  @Size(max = 512)
  @JsonPropertyDescription(
      "Why the run failed, was missed or cancelled; on success, what a user should know (bad"
          + " records skipped), else empty.")
  public String message;
}
