package dev.cdds.operator.retention;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobCondition;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.RetentionStatus;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.StatusConditions;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What retention means for a job at a given time, from its status alone: which history entries are
 * expired (their scheduled time is at or before what the last pass deleted up to), when the oldest
 * kept run expires, and whether a prune pod is due. The passes themselves run in pods (after each
 * export, or as a prune Job) because only pods reach a claim.
 */
public final class DataRetention {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A prune starts this long after the expiry, so that a pod whose clock is a little behind the
   * operator's finds the run expired too, instead of finding nothing and being started again.
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  /** A failed prune Job is retried this long after it finished. */
  static final Duration RETRY_AFTER = Duration.ofMinutes(5);

  private final int days;
  private final RetentionStatus reported;

  private DataRetention(int days, RetentionStatus reported) {
    this.days = days;
    this.reported = reported;
  }

  public static DataRetention of(ExportJob job) {
    return new DataRetention(
        Output.retentionDays(job.getSpec().output),
        job.getStatus() == null ? null : job.getStatus().retention);
  }

  /** The history with each run the destination no longer has marked expired. */
  public List<RunRecord> markExpired(List<RunRecord> history) {
    if (history == null) {
      return null;
    }
    Optional<Instant> deletedUpTo = deletedUpTo();
    List<RunRecord> marked = new ArrayList<>();
    for (RunRecord run : history) {
      boolean expired =
          run.result == RunResult.Succeeded
              && run.scheduledAt != null
              && deletedUpTo.map(t -> !Instant.parse(run.scheduledAt).isAfter(t)).orElse(false);
      if (expired && !Boolean.TRUE.equals(run.expired)) {
        // A copy: the records may be the ones of the status as read, which must stay as read.
        RunRecord copy = JSON.convertValue(run, RunRecord.class);
        copy.expired = true;
        marked.add(copy);
      } else {
        marked.add(run);
      }
    }
    return marked;
  }

  /**
   * When the oldest run the destination may still hold expires: the oldest the last pass kept, or a
   * successful run recorded since.
   */
  Optional<Instant> nextExpiry(ExportJobStatus status) {
    if (days == 0) {
      return Optional.empty();
    }
    Optional<Instant> deletedUpTo = deletedUpTo();
    Stream<Instant> recorded =
        Stream.ofNullable(status.history)
            .flatMap(List::stream)
            .filter(r -> r.result == RunResult.Succeeded && r.scheduledAt != null)
            .map(r -> Instant.parse(r.scheduledAt))
            .filter(t -> deletedUpTo.map(t::isAfter).orElse(true));
    Stream<Instant> kept =
        Stream.ofNullable(reported)
            .map(r -> r.oldestKeptRun)
            .filter(java.util.Objects::nonNull)
            .map(Instant::parse);
    return Stream.concat(recorded, kept)
        .min(Comparator.naturalOrder())
        .map(t -> t.plus(Duration.ofDays(days)));
  }

  /**
   * Whether a prune Job should start now: a run has expired, no export or prune is running, and the
   * last prune did not fail within {@link #RETRY_AFTER}.
   */
  public boolean pruneDue(ExportJobStatus status, List<Job> pruneJobs, Instant now) {
    boolean expired = nextPrune(status).map(t -> !t.isAfter(now)).orElse(false);
    return expired && status.currentRun == null && pruneMayStart(pruneJobs, now);
  }

  /**
   * Whether a new prune Job may start beside these: none of them still runs, and the last failed
   * one was at least {@link #RETRY_AFTER} ago.
   */
  public static boolean pruneMayStart(List<Job> pruneJobs, Instant now) {
    boolean running = pruneJobs.stream().anyMatch(j -> JobCompletion.finished(j).isEmpty());
    return !running && retryAt(pruneJobs).map(t -> !t.isAfter(now)).orElse(true);
  }

  /** When the reconciler should look again: the next expiry, or the end of a retry wait. */
  public Optional<Instant> wakeUp(ExportJobStatus status, List<Job> pruneJobs, Instant now) {
    return Stream.concat(
            nextPrune(status).filter(now::isBefore).stream(),
            retryAt(pruneJobs).filter(now::isBefore).stream())
        .min(Comparator.naturalOrder());
  }

  private Optional<Instant> nextPrune(ExportJobStatus status) {
    return nextExpiry(status).map(t -> t.plus(CLOCK_SKEW));
  }

  /** When a new Job may follow these prune Jobs: {@link #RETRY_AFTER} after the last failed. */
  public static Optional<Instant> retryAt(List<Job> pruneJobs) {
    return pruneJobs.stream()
        .filter(j -> JobCompletion.finishedAs(j, "Failed"))
        .map(j -> Instant.parse(JobCompletion.finished(j).orElseThrow().getLastTransitionTime()))
        .max(Comparator.naturalOrder())
        .map(t -> t.plus(RETRY_AFTER));
  }

  /** The Retention condition: whether the destination keeps only what it should. */
  public ExportJobCondition condition(
      ExportJobStatus previous, Instant now, ExportJobStatus current) {
    if (reported != null && reported.error != null) {
      return StatusConditions.of(
          previous,
          StatusConditions.RETENTION,
          false,
          "PruneFailed",
          reported.error + " (retried)",
          now,
          current);
    }
    if (days == 0) {
      return StatusConditions.of(
          previous,
          StatusConditions.RETENTION,
          true,
          "KeptForever",
          "spec.output.retentionDays is 0: runs are kept until deleted by hand",
          now,
          current);
    }
    return StatusConditions.of(
        previous,
        StatusConditions.RETENTION,
        true,
        "UpToDate",
        "runs are deleted "
            + days
            + " days after their scheduled time"
            + (reported == null || reported.keptRuns == null
                ? ""
                : "; " + reported.keptRuns + " kept"),
        now,
        current);
  }

  private Optional<Instant> deletedUpTo() {
    return Optional.ofNullable(reported).map(r -> r.deletedUpTo).map(Instant::parse);
  }
}
