package dev.cdds.operator.api;

/** How a run ended. */
public enum RunResult {
  Succeeded,
  Failed,
  Missed,
  Cancelled
}
