package dev.cdds.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActivePeriodTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  private static Schedule daily(String startAt, String endAt) {
    var schedule = new Schedule();
    schedule.run = RunMode.Daily;
    schedule.time = "02:00";
    schedule.startAt = startAt;
    schedule.endAt = endAt;
    return schedule;
  }

  @Test
  void theFirstRunIsTheFirstScheduledTimeAtOrAfterStartAt() {
    var atATime = daily("2026-12-01T02:00:00Z", null);
    var between = daily("2026-12-01T02:00:30Z", null);

    assertThat(ActivePeriod.of(atATime).next(ScheduleCron.of(atATime), NOW))
        .contains(Instant.parse("2026-12-01T02:00:00Z"));
    assertThat(ActivePeriod.of(between).next(ScheduleCron.of(between), NOW))
        .contains(Instant.parse("2026-12-02T02:00:00Z"));
  }

  @Test
  void theCronJobIsCreatedJustBeforeStartAtButAfterTheScheduledTimeBeforeIt() {
    var atATime = daily("2026-12-01T02:00:00Z", null);
    var justAfter = daily("2026-12-01T02:00:10Z", null);

    assertThat(ActivePeriod.of(atATime).cronJobFrom(ScheduleCron.of(atATime)))
        .contains(Instant.parse("2026-12-01T01:59:30Z"));
    assertThat(ActivePeriod.of(justAfter).cronJobFrom(ScheduleCron.of(justAfter)))
        .contains(Instant.parse("2026-12-01T02:00:01Z"));
    assertThat(ActivePeriod.of(atATime).cronJobWanted(ScheduleCron.of(atATime), NOW)).isFalse();
  }

  @Test
  void noRunAtOrAfterEndAt() {
    var ending = daily(null, "2026-11-27T02:00:00Z");

    assertThat(ActivePeriod.of(ending).next(ScheduleCron.of(ending), NOW)).isEmpty();
    assertThat(ActivePeriod.of(ending).ended(NOW)).isFalse();
    assertThat(ActivePeriod.of(ending).ended(Instant.parse("2026-11-27T02:00:00Z"))).isTrue();
    assertThat(ActivePeriod.of(ending).nextChange(ScheduleCron.of(ending), NOW))
        .contains(Instant.parse("2026-11-27T02:00:00Z"));
  }
}
