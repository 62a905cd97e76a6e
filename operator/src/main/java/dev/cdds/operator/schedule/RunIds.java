package dev.cdds.operator.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * A run's id is the name of its Job: {@code <exportjob>-<minutes since the epoch of the scheduled
 * time>}, the name the CronJob controller gives the Jobs it creates. One-time runs are named the
 * same way, so the scheduled time of every run can be read back from its id.
 */
public final class RunIds {
  private RunIds() {}

  public static String of(String exportJob, Instant scheduledAt) {
    return exportJob + "-" + scheduledAt.getEpochSecond() / 60;
  }

  /** The ExportJob a run id names, if it is one ({@code NAME-NUMBER}). */
  public static Optional<String> exportJob(String runId) {
    int dash = runId.lastIndexOf('-');
    return dash > 0 && scheduledAt(runId).isPresent()
        ? Optional.of(runId.substring(0, dash))
        : Optional.empty();
  }

  public static Optional<Instant> scheduledAt(String runId) {
    int dash = runId.lastIndexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(runId.substring(dash + 1)) * 60));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
