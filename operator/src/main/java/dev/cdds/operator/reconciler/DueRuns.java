package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.schedule.ActivePeriod;
import dev.cdds.operator.schedule.MissedRuns;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.schedule.ScheduleCron;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the schedule says at the observed instant: when the next run starts, which scheduled runs
 * were missed (their time passed with no Job), and when the operator must look again to see the
 * next start or record the next miss.
 */
record DueRuns(Optional<Instant> nextStart, List<RunRecord> missed, Optional<Instant> wakeUp) {
  static final DueRuns NONE = new DueRuns(Optional.empty(), List.of(), Optional.empty());

  /**
   * @param cronJobApplied whether this reconciliation applied the CronJob: a new schedule counts
   *     misses from now
   */
  static DueRuns of(Observed observed, boolean cronJobApplied, Duration startingDeadline) {
    Instant now = observed.now();
    if (observed.once()) {
      Optional<Instant> next = observed.onceStartAt().filter(now::isBefore);
      return new DueRuns(next, List.of(), next);
    }
    var schedule = observed.job().getSpec().schedule;
    var cron = ScheduleCron.of(schedule);
    var period = ActivePeriod.of(schedule);
    Optional<Instant> next = period.next(cron, now);
    Optional<Instant> periodChange = period.nextChange(cron, now);
    if (observed.suspended()) {
      return new DueRuns(next, List.of(), Wakeups.earliest(next, periodChange));
    }
    Set<Instant> known = knownRuns(observed.previous(), observed.exportJobs());
    Instant since =
        Stream.concat(
                Stream.of(cronJobApplied ? now : observed.cronJobAppliedAt().orElse(now)),
                known.stream())
            .max(Comparator.naturalOrder())
            .orElseThrow();
    var missedRuns =
        new MissedRuns(
            cron, observed.job().getMetadata().getName(), since, startingDeadline, period.endAt());
    return new DueRuns(
        next,
        missedRuns.asOf(now, known),
        Wakeups.earliest(next, missedRuns.nextDecision(now, known), periodChange));
  }

  /** Scheduled times that have a Job, a history entry or are the current run. */
  private static Set<Instant> knownRuns(ExportJobStatus status, List<Job> jobs) {
    Stream<String> recorded =
        Stream.concat(
            Stream.ofNullable(status.history).flatMap(List::stream).map(r -> r.id),
            Stream.ofNullable(status.currentRun).map(r -> r.id));
    return Stream.concat(recorded, jobs.stream().map(j -> j.getMetadata().getName()))
        .map(RunIds::scheduledAt)
        .flatMap(Optional::stream)
        .collect(Collectors.toSet());
  }
}
