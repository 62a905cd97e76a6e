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
 * The period of data a run exports, [start, end), derived from the scheduled time (never the time
 * the pod started). A SinceLastRun window starts where the last successful one ended, so that
 * consecutive runs tile time with no gap or overlap whatever became of the runs in between.
 */
public record ExportWindow(Optional<Instant> start, Optional<Instant> end) {

  /**
   * @param exportedThrough where the last successful SinceLastRun window ended (the job's
   *     status.exportedThrough); empty for a job that has none yet
   */
  public static ExportWindow of(
      Timeframe timeframe,
      Schedule schedule,
      Instant scheduledAt,
      Optional<Instant> exportedThrough) {
    TimeframeType type = type(timeframe, schedule);
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
      case SinceLastRun -> sinceLastRun(timeframe, schedule, scheduledAt, exportedThrough);
    };
  }

  /**
   * Ends settleTime before the scheduled time; starts where the previous window ended, as far back
   * as maxCatchUp allows. A job's first window starts where its previous scheduled run's would have
   * ended.
   */
  private static ExportWindow sinceLastRun(
      Timeframe timeframe,
      Schedule schedule,
      Instant scheduledAt,
      Optional<Instant> exportedThrough) {
    Duration settle = settleTime(timeframe);
    Instant end = scheduledAt.minus(settle);
    Instant earliest = end.minus(maxCatchUp(timeframe));
    Instant start =
        exportedThrough
            .or(
                () ->
                    PreviousRun.before(ScheduleCron.of(schedule), scheduledAt)
                        .map(t -> t.minus(settle)))
            .orElse(earliest);
    if (start.isBefore(earliest)) {
      start = earliest;
    }
    if (start.isAfter(end)) {
      start = end;
    }
    return closed(start, end);
  }

  public static Duration settleTime(Timeframe timeframe) {
    return SpecDuration.parse(
        timeframe == null || timeframe.settleTime == null
            ? Timeframe.DEFAULT_SETTLE_TIME
            : timeframe.settleTime,
        "spec.timeframe.settleTime");
  }

  public static Duration maxCatchUp(Timeframe timeframe) {
    return SpecDuration.parse(
        timeframe == null || timeframe.maxCatchUp == null
            ? Timeframe.DEFAULT_MAX_CATCH_UP
            : timeframe.maxCatchUp,
        "spec.timeframe.maxCatchUp");
  }

  /** Whether runs of this job tile time from one to the next (status.exportedThrough applies). */
  public static boolean tiles(Timeframe timeframe, Schedule schedule) {
    return type(timeframe, schedule) == TimeframeType.SinceLastRun;
  }

  private static TimeframeType type(Timeframe timeframe, Schedule schedule) {
    return timeframe != null
        ? timeframe.type
        : schedule.run == RunMode.Once ? TimeframeType.All : TimeframeType.SinceLastRun;
  }

  private static ExportWindow closed(Instant start, Instant end) {
    return new ExportWindow(Optional.of(start), Optional.of(end));
  }
}
