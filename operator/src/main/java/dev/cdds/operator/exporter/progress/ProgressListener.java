package dev.cdds.operator.exporter.progress;

/** Where a run reports how far it is; {@link ProgressReporter} writes it into the status. */
@FunctionalInterface
public interface ProgressListener {
  /** How far the run (or, in a partitioned run, this pod's partition) is. */
  void report(long recordsDone, long recordsTotal, long bytes, int files);

  /**
   * Called now and then while the first partition of a partitioned run waits for the others, so
   * that the run's totals keep moving.
   */
  default void waiting() {}

  /** The whole run is complete, with these numbers. */
  default void runDone(long records, long bytes, int files) {
    report(records, records, bytes, files);
  }
}
