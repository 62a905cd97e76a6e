package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Written by the operator and the export pods, never by users. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExportJobStatus {
  @JsonPropertyDescription(
      "metadata.generation of the spec the operator last acted on; 0 until it has acted on"
          + " any (less than metadata.generation: the job is being reconciled).")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Scheduled, Queued (a run waits for its turn), Running, Suspended, Completed, Ended (a"
          + " recurring job past spec.schedule.endAt) or Failed.")
  public ExportJobState state;

  @JsonPropertyDescription(
      "The Jobs page's Latest Status: the state of the latest run (NotRun, Queued, Running,"
          + " Succeeded, Failed, Missed, Cancelled).")
  public LatestRunStatus latestStatus;

  @JsonPropertyDescription(
      "The Jobs page's slider: Active (runs start as scheduled), Suspended (spec.suspend, after"
          + " failures, or a one-time job that has run) or Ended (past spec.schedule.endAt).")
  public Activity activity;

  @Size(max = 12)
  @JsonPropertyDescription(
      "Ready (the job can run: Secrets, destination and certificate are in place), Running (a"
          + " run is in progress), Suspended (by spec.suspend, after failures, or a started"
          + " one-time job), GapDetected, Ended, Retention, and for GitOps tools Reconciling (a"
          + " queued run is re-checked for its turn) and Stalled (nothing proceeds without a"
          + " person: a missing Secret, a bad certificate, suspended after failures). Each names"
          + " the generation it was computed from.")
  public List<ExportJobCondition> conditions;

  @JsonPropertyDescription("When the latest run started (RFC 3339).")
  public String lastStartedAt;

  @JsonPropertyDescription("When the next run is due (RFC 3339); absent when none is.")
  public String nextStartsAt;

  @JsonPropertyDescription(
      "SinceLastRun jobs: the end of the data exported so far, the end of the last successful"
          + " run's window (RFC 3339). The next run, scheduled or manual, exports from here.")
  public String exportedThrough;

  @JsonPropertyDescription("The run in progress, with live progress; absent when none runs.")
  public CurrentRun currentRun;

  @JsonPropertyDescription(
      "What the last deletion of expired runs from the destination found, as the pod that did it"
          + " reported.")
  public RetentionStatus retention;

  @JsonPropertyDescription(
      "spec.notify: notifications on their way (resent after an operator restart) and the last"
          + " one of each target.")
  public NotificationStatus notifications;

  @Size(max = 100)
  @JsonPropertyDescription("Finished runs, newest first, at most spec.historyLimit of them.")
  public List<RunRecord> history;
}
