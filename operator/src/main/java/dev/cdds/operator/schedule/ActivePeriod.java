package dev.cdds.operator.schedule;

import dev.cdds.operator.api.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a recurring job's schedule applies: from spec.schedule.startAt (no run scheduled before it)
 * until spec.schedule.endAt (no run at or after it), each open when absent.
 *
 * <p>The CronJob exists only in that period. A CronJob created at T considers only the scheduled
 * times after T, so it is created a little before startAt, but after the last scheduled time before
 * it: its first run is then the first time at or after startAt, never one before.
 */
public record ActivePeriod(Optional<Instant> startAt, Optional<Instant> endAt) {
  /** How early the CronJob is created, at most, so that a run due at startAt itself happens. */
  static final Duration LEAD = Duration.ofSeconds(30);

  public static ActivePeriod of(Schedule schedule) {
    return new ActivePeriod(
        Optional.ofNullable(schedule.startAt).map(Instant::parse),
        Optional.ofNullable(schedule.endAt).map(Instant::parse));
  }

  /** From when the CronJob may exist; absent when always. */
  public Optional<Instant> cronJobFrom(ScheduleCron cron) {
    return startAt.map(
        start -> {
          Instant early = start.minus(LEAD);
          return PreviousRun.before(cron, start)
              .map(previous -> previous.plusSeconds(1))
              .filter(early::isBefore)
              .orElse(early);
        });
  }

  /** Whether the CronJob should exist at {@code now}. */
  public boolean cronJobWanted(ScheduleCron cron, Instant now) {
    return cronJobFrom(cron).map(from -> !now.isBefore(from)).orElse(true) && !ended(now);
  }

  /** Whether endAt has passed: no run starts any more. */
  public boolean ended(Instant now) {
    return endAt.map(end -> !now.isBefore(end)).orElse(false);
  }

  /** The next scheduled time after {@code now} in the period, if there is one. */
  public Optional<Instant> next(ScheduleCron cron, Instant now) {
    Instant after = startAt.filter(now::isBefore).map(start -> start.minusNanos(1)).orElse(now);
    return cron.expression()
        .next(after, cron.zone())
        .filter(t -> endAt.map(t::isBefore).orElse(true));
  }

  /** The instant the operator must look again: when the CronJob is due, or the period ends. */
  public Optional<Instant> nextChange(ScheduleCron cron, Instant now) {
    Optional<Instant> from = cronJobFrom(cron).filter(now::isBefore);
    return from.isPresent() ? from : endAt.filter(now::isBefore);
  }
}
