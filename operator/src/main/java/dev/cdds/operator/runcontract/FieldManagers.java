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

  /**
   * A pod of a partitioned run other than the first: its own entry of status.currentRun.partitions
   * (the first pod writes its entry and the run's counters as {@link #EXPORTER}).
   */
  public static String partition(int index) {
    return index == 0 ? EXPORTER : EXPORTER + "-" + index;
  }

  /** The first pod of a partitioned run: status.currentRun.sharedSnapshot. */
  public static final String SNAPSHOT = "cdds-exporter-snapshot";

  /** A retention pass: status.retention. */
  public static final String RETENTION = "cdds-retention";

  /** A retention pass that failed: status.retention.error, cleared by the next pass. */
  public static final String RETENTION_ERROR = "cdds-retention-error";

  private FieldManagers() {}
}
