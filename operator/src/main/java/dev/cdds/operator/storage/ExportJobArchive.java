package dev.cdds.operator.storage;

import java.io.IOException;
import java.util.List;

/**
 * Every run of one ExportJob at a destination: the folders {@code
 * <namespace>/<exportjob>/<run-id>/} of a volume or a bucket. Runs are written through {@link
 * #run(String)}, and expire by {@link #delete(String)}.
 */
public interface ExportJobArchive extends AutoCloseable {
  /** The ids of the runs that have a folder here, complete or not. */
  List<String> runIds() throws IOException;

  /** Where one run's files go. */
  RunStore run(String runId);

  /**
   * Deletes everything of the run: files, manifest and (on S3) unfinished uploads.
   *
   * @return how many files were deleted
   */
  int delete(String runId) throws IOException;

  /** Which run {@code runId} of this job is, as its manifest names it. */
  RunTarget target(String runId);

  /** The job's folder, as a user would look for it (a path or an s3:// URL). */
  String location();

  @Override
  void close();
}
