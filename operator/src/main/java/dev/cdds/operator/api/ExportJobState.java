package dev.cdds.operator.api;

/** The one-word state shown in the Status column. */
public enum ExportJobState {
  Scheduled,
  Running,
  Suspended,
  Completed,
  Failed
}
