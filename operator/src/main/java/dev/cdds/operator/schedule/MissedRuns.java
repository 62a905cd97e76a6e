package dev.cdds.operator.schedule;

import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Scheduled times that will never run: the CronJob controller starts a run at most {@code deadline}
 * late (after its own outage, or once a run that blocked it under concurrencyPolicy Forbid has
 * finished). Past that, a time with no Job is recorded as Missed, so no run is lost without a
 * trace.
 *
 * @param since the first time to consider, exclusive: when the operator last applied the CronJob
 *     (an edit or a resume starts a new schedule) or the newest known run, if later
 */
public record MissedRuns(
    ScheduleCron cron,
    String exportJob,
    Instant since,
    Duration deadline,
    Optional<Instant> until) {
  private static final int LIMIT = 100;

  /** Misses of a schedule without end. */
  public MissedRuns(ScheduleCron cron, String exportJob, Instant since, Duration deadline) {
    this(cron, exportJob, since, deadline, Optional.empty());
  }

  /** The scheduled time after {@code t}, before {@code until} (spec.schedule.endAt). */
  private Optional<Instant> after(Instant t) {
    return cron.expression().next(t, cron.zone()).filter(n -> until.map(n::isBefore).orElse(true));
  }

  /**
   * Missed runs as of {@code now}, oldest first, leaving out the scheduled times in {@code known}.
   */
  public List<RunRecord> asOf(Instant now, Set<Instant> known) {
    List<RunRecord> missed = new ArrayList<>();
    Optional<Instant> t = after(since);
    while (t.isPresent() && !t.get().plus(deadline).isAfter(now) && missed.size() < LIMIT) {
      if (!known.contains(t.get())) {
        missed.add(record(t.get(), now));
      }
      t = after(t.get());
    }
    return missed;
  }

  /** When the oldest unstarted time past {@code now} reaches its deadline, if any. */
  public Optional<Instant> nextDecision(Instant now, Set<Instant> known) {
    Optional<Instant> t = after(since);
    while (t.isPresent() && !t.get().isAfter(now)) {
      if (!known.contains(t.get()) && t.get().plus(deadline).isAfter(now)) {
        return Optional.of(t.get().plus(deadline));
      }
      t = after(t.get());
    }
    return Optional.empty();
  }

  private RunRecord record(Instant scheduledAt, Instant now) {
    var run = new RunRecord();
    run.id = RunIds.of(exportJob, scheduledAt);
    run.scheduledAt = scheduledAt.toString();
    run.finishedAt = now.toString();
    run.result = RunResult.Missed;
    run.message =
        "not started within "
            + deadline.toSeconds()
            + " s of its scheduled time: the controllers were down, the previous run was still"
            + " going (concurrencyPolicy Forbid), or the operator was away longer than finished"
            + " Jobs are kept";
    return run;
  }
}
