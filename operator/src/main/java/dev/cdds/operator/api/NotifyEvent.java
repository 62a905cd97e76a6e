package dev.cdds.operator.api;

/** What a notification target is told of. */
public enum NotifyEvent {
  /** A run succeeded. */
  Succeeded,
  /** A run failed (other than by its deadline). */
  Failed,
  /** A scheduled run did not start in time. */
  Missed,
  /** A run was stopped for taking longer than spec.runTimeout. */
  DeadlineExceeded,
  /** A run could not catch up all the data since the previous one: a window was not exported. */
  GapDetected,
  /** The job was suspended after spec.suspendAfterFailures failed runs in a row. */
  Suspended
}
