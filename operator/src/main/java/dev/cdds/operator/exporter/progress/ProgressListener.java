package dev.cdds.operator.exporter.progress;

/** Where a run reports how far it is; {@link ProgressReporter} writes it into the status. */
@FunctionalInterface
public interface ProgressListener {
  void report(long recordsDone, long recordsTotal, long bytes, int files);
}
