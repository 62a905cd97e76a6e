package dev.cdds.operator.runcontract;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.schedule.RunIds;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The runs whose files a person asked to delete ({@code kubectl cdds files delete}): an annotation
 * of the ExportJob, so that the person needs only to patch the job, never the storage's
 * credentials, and the operator's prune Job does the deleting. The annotation is anyone's with
 * patch rights: only ids of this job's own runs, in the form the operator gives them, are read.
 */
public final class RunDeletionRequest {
  /** Comma-separated run ids. */
  public static final String ANNOTATION = "cdds.dev/delete-runs";

  /** The most runs one request may name, as the Artifacts page allows. */
  public static final int MAX_RUNS = 100;

  private RunDeletionRequest() {}

  /** The run ids the job's annotation asks to delete: its own, at most {@link #MAX_RUNS}. */
  public static SortedSet<String> of(ExportJob job) {
    String value =
        Optional.ofNullable(job.getMetadata().getAnnotations())
            .map(a -> a.get(ANNOTATION))
            .orElse("");
    SortedSet<String> ids = new TreeSet<>();
    Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(id -> isRunOf(job.getMetadata().getName(), id))
        .sorted()
        .limit(MAX_RUNS)
        .forEach(ids::add);
    return ids;
  }

  /** The annotation's value for {@code runIds}. */
  public static String value(Collection<String> runIds) {
    return String.join(",", new TreeSet<>(runIds));
  }

  /**
   * Whether {@code runId} is exactly an id the operator gives a run of {@code exportJob}: a name
   * that reaches another folder ({@code ..}, {@code /}) or another job's runs is not one.
   */
  public static boolean isRunOf(String exportJob, String runId) {
    return RunIds.exportJob(runId).filter(exportJob::equals).isPresent()
        && RunIds.scheduledAt(runId).map(t -> RunIds.of(exportJob, t).equals(runId)).orElse(false);
  }
}
