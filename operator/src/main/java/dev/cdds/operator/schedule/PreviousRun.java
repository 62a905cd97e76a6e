package dev.cdds.operator.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The scheduled time before a given one: where a SinceLastRun window starts. */
public final class PreviousRun {
  /** Longer than any gap between two runs of our schedules: a month and a DST hour. */
  private static final Duration LONGEST_GAP = Duration.ofDays(62);

  private PreviousRun() {}

  public static Optional<Instant> before(ScheduleCron cron, Instant scheduledAt) {
    Optional<Instant> previous = Optional.empty();
    Optional<Instant> t = cron.expression().next(scheduledAt.minus(LONGEST_GAP), cron.zone());
    while (t.isPresent() && t.get().isBefore(scheduledAt)) {
      previous = t;
      t = cron.expression().next(t.get(), cron.zone());
    }
    return previous;
  }
}
