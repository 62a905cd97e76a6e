package dev.cdds.operator.runcontract;

/**
 * Who writes which part of an ExportJob's status (docs/design.md): each writer applies its own
 * fields under its own field manager, so no writer removes another's.
 */
public final class FieldManagers {
  /** The operator: conditions, history, state, the current run's identity. */
  public static final String OPERATOR = "cdds-operator";

  /** The export pod: the current run's progress counters. */
  public static final String EXPORTER = "cdds-exporter";

  /** A retention pass: status.retention. */
  public static final String RETENTION = "cdds-retention";

  /** A retention pass that failed: status.retention.error, cleared by the next pass. */
  public static final String RETENTION_ERROR = "cdds-retention-error";

  private FieldManagers() {}
}
