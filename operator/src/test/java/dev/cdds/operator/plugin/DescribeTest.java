package dev.cdds.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.api.Weekday;
import org.junit.jupiter.api.Test;

class DescribeTest {
  @Test
  void saysEveryScheduleInWords() {
    assertThat(Describe.when(schedule(RunMode.Once))).isEqualTo("once, as soon as it is created");
    var hourly = schedule(RunMode.Hourly);
    hourly.everyHours = 4;
    hourly.minute = 5;
    assertThat(Describe.when(hourly)).isEqualTo("every 4 hours from 00:00 at :05 UTC");
    var daily = schedule(RunMode.Daily);
    daily.time = "02:30";
    daily.timeZone = "Europe/Paris";
    assertThat(Describe.when(daily)).isEqualTo("every day at 02:30 Europe/Paris");
    var weekly = schedule(RunMode.Weekly);
    weekly.dayOfWeek = Weekday.Friday;
    weekly.time = "23:00";
    assertThat(Describe.when(weekly)).isEqualTo("every Friday at 23:00 UTC");
    var monthly = schedule(RunMode.Monthly);
    monthly.dayOfMonth = 31;
    assertThat(Describe.when(monthly))
        .isEqualTo("on day 31 of every month (no run in a month without that day) at 00:00 UTC");
    monthly.dayOfMonth = 15;
    assertThat(Describe.when(monthly)).isEqualTo("on day 15 of every month at 00:00 UTC");
  }

  @Test
  void saysWhenARecurringJobStartsAndEnds() {
    var hourly = schedule(RunMode.Hourly);
    hourly.everyHours = 4;
    hourly.minute = 15;
    hourly.startAt = "2026-12-01T00:00:00Z";
    hourly.endAt = "2027-01-01T00:00:00+01:00";
    var immediately = schedule(RunMode.Hourly);
    immediately.everyHours = 1;
    immediately.minute = 0;
    immediately.startImmediately = true;

    assertThat(Describe.when(hourly))
        .isEqualTo(
            "every 4 hours from 00:00 at :15 UTC, starting 2026-12-01T00:00Z, until"
                + " 2026-12-31T23:00Z");
    assertThat(Describe.when(immediately)).isEqualTo("every hour at :00 UTC, starting at once");
  }

  @Test
  void aOneTimeJobWithoutTimeframeExportsEverythingAsItsHistorySays() {
    var once = dev.cdds.operator.testing.ExportJobs.once("once-now");

    assertThat(Describe.schedule(once))
        .isEqualTo("once, as soon as it is created, exporting everything");
  }

  @Test
  void saysEveryTimeframeInWords() {
    var hours = new Timeframe();
    hours.type = TimeframeType.LastHours;
    hours.hours = 6;
    assertThat(Describe.what(hours)).isEqualTo("exporting the 6 hours before each run");
    assertThat(Describe.what(null)).isEqualTo("exporting what is new since the previous run");
  }

  @Test
  void progressIsPlainTextOffATerminalAndABarOnOne() {
    var run = new CurrentRun();
    run.progress = 40;
    run.estimatedCompletionAt = "2026-11-23T18:52:31.5Z";

    var now = java.time.Instant.parse("2026-11-23T18:40:00Z");

    assertThat(Describe.progress(run, new Terminal(false), now))
        .isEqualTo("40% ETA 18:52Z, 13 min left");
    assertThat(Describe.progress(run, new Terminal(true), now))
        .isEqualTo("████████░░░░░░░░░░░░ 40% ETA 18:52Z, 13 min left");
    assertThat(Describe.eta("2026-11-24T20:10:00Z", now))
        .isEqualTo(" ETA 2026-11-24T20:10Z, 25 h 30 min left");
    assertThat(Describe.eta("2026-11-23T18:39:00Z", now)).isEqualTo(" ETA 18:39Z, any moment now");
  }

  @Test
  void sizesAndDurationsReadLikeThePage() {
    assertThat(Describe.bytes(512L)).isEqualTo("512 B");
    assertThat(Describe.bytes(1_234_567L)).isEqualTo("1.2 MB");
    assertThat(Describe.duration("2026-01-01T00:00:00Z", "2026-01-01T01:02:03Z")).isEqualTo("1h2m");
    assertThat(Describe.duration("2026-01-01T00:00:00Z", "2026-01-01T00:00:09Z")).isEqualTo("9s");
  }

  private static Schedule schedule(RunMode mode) {
    var schedule = new Schedule();
    schedule.run = mode;
    return schedule;
  }
}
