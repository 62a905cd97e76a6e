package dev.cdds.operator.api;

/** The one-word state shown in the Status column. */
public enum ExportJobState {
  Scheduled,
  Queued,
  Running,
  Suspended,
  Completed,
  Ended,
  Failed
}
