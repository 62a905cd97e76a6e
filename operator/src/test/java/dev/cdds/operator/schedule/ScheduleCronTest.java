package dev.cdds.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Weekday;
import java.time.Instant;
import java.time.zone.ZoneRulesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleCronTest {

  @ParameterizedTest(name = "{0}: after {4} next is {5}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # what | schedule | zone | cron | after | next
          hourly every 4h at :15 | Hourly 4 15 | UTC | 15 */4 * * * | 2026-11-23T05:00:00Z | 2026-11-23T08:15:00Z
          hourly wraps at midnight, not 24h | Hourly 5 0 | UTC | 0 */5 * * * | 2026-11-23T20:30:00Z | 2026-11-24T00:00:00Z
          hourly every hour | Hourly 1 30 | UTC | 30 * * * * | 2026-11-23T05:30:00Z | 2026-11-23T06:30:00Z
          hourly at the exact run time moves on | Hourly 4 15 | UTC | 15 */4 * * * | 2026-11-23T08:15:00Z | 2026-11-23T12:15:00Z
          hourly counted from local midnight | Hourly 6 0 | Asia/Kolkata | 0 */6 * * * | 2026-11-23T00:00:00Z | 2026-11-23T00:30:00Z
          daily strictly after | Daily 02:00 | UTC | 0 2 * * * | 2026-11-23T02:00:00Z | 2026-11-24T02:00:00Z
          daily in New York winter time | Daily 06:30 | America/New_York | 30 6 * * * | 2026-11-23T00:00:00Z | 2026-11-23T11:30:00Z
          daily in New York summer time | Daily 06:30 | America/New_York | 30 6 * * * | 2026-07-01T00:00:00Z | 2026-07-01T10:30:00Z
          weekly Tuesday | Weekly Tuesday 02:00 | UTC | 0 2 * * 2 | 2026-11-23T12:00:00Z | 2026-11-24T02:00:00Z
          weekly Sunday is day 0 | Weekly Sunday 23:59 | UTC | 59 23 * * 0 | 2026-11-23T12:00:00Z | 2026-11-29T23:59:00Z
          weekly across a year end | Weekly Friday 00:00 | UTC | 0 0 * * 5 | 2026-12-26T00:00:00Z | 2027-01-01T00:00:00Z
          monthly day 31 skips April | Monthly 31 00:00 | UTC | 0 0 31 * * | 2026-04-01T00:00:00Z | 2026-05-31T00:00:00Z
          monthly day 31 skips Feb to Mar | Monthly 31 23:00 | UTC | 0 23 31 * * | 2027-01-31T23:00:00Z | 2027-03-31T23:00:00Z
          monthly day 29 in a common year | Monthly 29 12:00 | UTC | 0 12 29 * * | 2027-02-01T00:00:00Z | 2027-03-29T12:00:00Z
          monthly day 29 in a leap year | Monthly 29 12:00 | UTC | 0 12 29 * * | 2028-02-01T00:00:00Z | 2028-02-29T12:00:00Z
          monthly in Paris after DST ended | Monthly 31 23:00 | Europe/Paris | 0 23 31 * * | 2026-10-01T00:00:00Z | 2026-10-31T22:00:00Z
          DST starts: skipped time has no run | Daily 02:30 | Europe/Paris | 30 2 * * * | 2026-03-28T02:00:00Z | 2026-03-30T00:30:00Z
          DST starts: the hour after is kept | Daily 03:30 | Europe/Paris | 30 3 * * * | 2026-03-28T03:00:00Z | 2026-03-29T01:30:00Z
          DST ends: first of a repeated time | Daily 02:30 | Europe/Paris | 30 2 * * * | 2026-10-25T00:00:00Z | 2026-10-25T00:30:00Z
          DST ends: repeated time runs twice | Daily 02:30 | Europe/Paris | 30 2 * * * | 2026-10-25T00:30:00Z | 2026-10-25T01:30:00Z
          hourly across DST start | Hourly 1 30 | Europe/Paris | 30 * * * * | 2026-03-29T00:30:00Z | 2026-03-29T01:30:00Z
          """)
  void mapsScheduleToCronAndNextRun(
      String what, String schedule, String zone, String cron, String after, String next) {
    var mapped = ScheduleCron.of(schedule(schedule, zone));

    assertThat(mapped.expression().toString()).isEqualTo(cron);
    assertThat(mapped.expression().next(Instant.parse(after), mapped.zone()))
        .contains(Instant.parse(next));
  }

  @Test
  void oneTimeScheduleHasNoCronExpression() {
    var once = new Schedule();
    once.run = RunMode.Once;

    assertThatThrownBy(() -> ScheduleCron.of(once)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownTimeZoneIsRefused() {
    assertThatThrownBy(() -> ScheduleCron.of(schedule("Daily 02:00", "Mars/Olympus_Mons")))
        .isInstanceOf(ZoneRulesException.class);
  }

  /** "Hourly 4 15", "Daily 02:00", "Weekly Tuesday 02:00", "Monthly 31 23:00". */
  static Schedule schedule(String text, String zone) {
    String[] p = text.trim().split("\\s+");
    var s = new Schedule();
    s.run = RunMode.valueOf(p[0]);
    s.timeZone = zone;
    switch (s.run) {
      case Hourly -> {
        s.everyHours = Integer.parseInt(p[1]);
        s.minute = Integer.parseInt(p[2]);
      }
      case Daily -> s.time = p[1];
      case Weekly -> {
        s.dayOfWeek = Weekday.valueOf(p[1]);
        s.time = p[2];
      }
      case Monthly -> {
        s.dayOfMonth = Integer.parseInt(p[1]);
        s.time = p[2];
      }
      default -> throw new IllegalArgumentException(text);
    }
    return s;
  }
}
