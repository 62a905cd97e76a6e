package dev.cdds.operator.schedule;

import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * The period of data a run exports, [start, end), derived from the scheduled time (never the start
 * time), so that consecutive runs of a SinceLastRun job tile time with no gap or overlap.
 */
public record ExportWindow(Optional<Instant> start, Optional<Instant> end) {

  public static ExportWindow of(Timeframe timeframe, Schedule schedule, Instant scheduledAt) {
    TimeframeType type =
        timeframe != null
            ? timeframe.type
            : schedule.run == RunMode.Once ? TimeframeType.All : TimeframeType.SinceLastRun;
    ZoneId zone = ZoneId.of(schedule.timeZone == null ? "UTC" : schedule.timeZone);
    ZonedDateTime at = scheduledAt.atZone(zone);
    return switch (type) {
      case All -> new ExportWindow(Optional.empty(), Optional.empty());
      case FixedInterval ->
          new ExportWindow(
              Optional.of(Instant.parse(timeframe.start)),
              Optional.of(Instant.parse(timeframe.end)));
      case LastHours -> closed(scheduledAt.minus(Duration.ofHours(timeframe.hours)), scheduledAt);
      case LastDay -> {
        ZonedDateTime today = at.truncatedTo(ChronoUnit.DAYS);
        yield closed(today.minusDays(1).toInstant(), today.toInstant());
      }
      case LastWeek -> {
        ZonedDateTime monday =
            at.truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        yield closed(monday.minusWeeks(1).toInstant(), monday.toInstant());
      }
      case LastMonth -> {
        ZonedDateTime first = at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        yield closed(first.minusMonths(1).toInstant(), first.toInstant());
      }
      case SinceLastRun ->
          new ExportWindow(
              PreviousRun.before(ScheduleCron.of(schedule), scheduledAt), Optional.of(scheduledAt));
    };
  }

  private static ExportWindow closed(Instant start, Instant end) {
    return new ExportWindow(Optional.of(start), Optional.of(end));
  }
}
