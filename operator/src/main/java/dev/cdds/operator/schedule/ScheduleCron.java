package dev.cdds.operator.schedule;

import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import java.time.DayOfWeek;
import java.time.ZoneId;

/** The cron expression and time zone of a scheduled (not one-time) ExportJob. */
public record ScheduleCron(CronExpression expression, ZoneId zone) {

  /**
   * @throws IllegalArgumentException for a one-time schedule, or a time zone Java does not know
   */
  public static ScheduleCron of(Schedule schedule) {
    ZoneId zone = ZoneId.of(schedule.timeZone == null ? "UTC" : schedule.timeZone);
    return new ScheduleCron(CronExpression.parse(expression(schedule)), zone);
  }

  static String expression(Schedule schedule) {
    if (schedule.run == RunMode.Hourly) {
      String hours = schedule.everyHours == 1 ? "*" : "*/" + schedule.everyHours;
      return schedule.minute + " " + hours + " * * *";
    }
    if (schedule.run == RunMode.Once) {
      throw new IllegalArgumentException("a one-time schedule has no cron expression");
    }
    String[] time = schedule.time.split(":");
    String minuteHour = Integer.parseInt(time[1]) + " " + Integer.parseInt(time[0]);
    return switch (schedule.run) {
      case Daily -> minuteHour + " * * *";
      case Weekly ->
          minuteHour
              + " * * "
              + CronExpression.cronDay(DayOfWeek.valueOf(schedule.dayOfWeek.name().toUpperCase()));
      case Monthly -> minuteHour + " " + schedule.dayOfMonth + " * *";
      default -> throw new IllegalStateException("unexpected run mode " + schedule.run);
    };
  }
}
