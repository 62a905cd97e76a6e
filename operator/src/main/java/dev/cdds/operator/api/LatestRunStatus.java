package dev.cdds.operator.api;

/** The Jobs page's "Latest Status": the state of the job's latest run. */
public enum LatestRunStatus {
  /** No run has started yet. */
  NotRun,
  /** The latest run waits for its jitter or a free turn at its source. */
  Queued,
  Running,
  Succeeded,
  Failed,
  Missed,
  Cancelled
}
