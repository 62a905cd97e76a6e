package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A scheduled job stops after spec.suspendAfterFailures consecutive failed runs, so that a broken
 * job does not hammer its source, by a condition and a suspended CronJob, never by writing spec.
 * Derived from the runs alone: those that ended since the last {@code kubectl cdds resume} (an
 * annotation) count, a success starts the count again, missed and cancelled runs are skipped.
 */
final class FailureSuspension {
  static final String REASON = "SuspendedAfterFailures";

  private FailureSuspension() {}

  /** Why the job is suspended, if it is; a one-time job never is (it runs once anyway). */
  static Optional<String> of(ExportJob job, List<RunRecord> history, List<Job> jobs) {
    Integer limit = job.getSpec().suspendAfterFailures;
    if (limit == null || limit == 0 || job.getSpec().schedule.run == RunMode.Once) {
      return Optional.empty();
    }
    Optional<Instant> resumedAt = resumedAt(job);
    record Ended(String id, Instant at, boolean failed, String message) {}
    List<Ended> ended = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RunRecord run : history) {
      if (run.result == RunResult.Succeeded || run.result == RunResult.Failed) {
        seen.add(run.id);
        ended.add(
            new Ended(run.id, time(run.finishedAt), run.result == RunResult.Failed, run.message));
      }
    }
    for (Job j : jobs) {
      var end = JobCompletion.finished(j);
      if (end.isPresent() && !seen.contains(j.getMetadata().getName())) {
        ended.add(
            new Ended(
                j.getMetadata().getName(),
                time(end.get().getLastTransitionTime()),
                !"Complete".equals(end.get().getType()),
                end.get().getMessage()));
      }
    }
    ended.sort(Comparator.comparing(Ended::at).reversed());
    int failures = 0;
    Ended newest = null;
    for (Ended e : ended) {
      if (!e.failed() || (resumedAt.isPresent() && !e.at().isAfter(resumedAt.get()))) {
        break;
      }
      newest = newest == null ? e : newest;
      failures++;
    }
    if (failures < limit) {
      return Optional.empty();
    }
    return Optional.of(
        "the last "
            + failures
            + " runs failed (spec.suspendAfterFailures is "
            + limit
            + "; the newest, "
            + newest.id()
            + ": "
            + newest.message()
            + "): no new run starts until the cause is fixed and kubectl cdds resume "
            + job.getMetadata().getName()
            + " is run");
  }

  private static Optional<Instant> resumedAt(ExportJob job) {
    var annotations = job.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ObjectLabels.RESUMED_AT);
    try {
      return Optional.ofNullable(value).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Instant time(String text) {
    try {
      return text == null ? Instant.EPOCH : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
