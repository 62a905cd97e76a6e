package dev.cdds.operator.exporter;

import dev.cdds.operator.exporter.files.PartFiles;
import dev.cdds.operator.exporter.progress.ProgressListener;
import dev.cdds.operator.storage.PartFile;
import java.util.List;

/** Records done over the whole run (every file set), reported as they go. */
final class RunProgress {
  /**
   * Records between two reports. A listener reads the clock on each report to decide whether to
   * pass it on; per record, that was the export's hottest Java code.
   */
  private static final int REPORT_EVERY = 1024;

  private final ProgressListener listener;
  private volatile long total;
  private long done;
  private long bytesBefore;
  private int filesBefore;

  RunProgress(ProgressListener listener, long total) {
    this.listener = listener;
    this.total = total;
    listener.report(0, total, 0, 0);
  }

  /**
   * One more record written, reported if it is the first or {@link #REPORT_EVERY} after the last
   * reported. An estimated total may be passed before the end; the total reported then stays ahead
   * of the records done, so that only the final report says 100%.
   */
  void written(PartFiles parts) {
    if (++done % REPORT_EVERY != 1) {
      return;
    }
    listener.report(
        done,
        Math.max(total, done + 1),
        bytesBefore + parts.bytes(),
        filesBefore + parts.completedFiles());
  }

  /** The exact total, once counted: it replaces the estimate from the next report on. */
  void counted(long records) {
    total = records;
  }

  void skipped() {
    done++;
  }

  void filesDone(List<PartFile> files) {
    bytesBefore += files.stream().mapToLong(PartFile::bytes).sum();
    filesBefore += files.size();
  }
}
