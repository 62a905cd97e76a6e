package dev.cdds.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MissedRunsTest {
  private static final ScheduleCron DAILY_2AM =
      ScheduleCron.of(ScheduleCronTest.schedule("Daily 02:00", "UTC"));
  private static final Instant SINCE = Instant.parse("2026-11-23T00:00:00Z");
  private static final Duration DEADLINE = Duration.ofHours(1);

  @Test
  void timesPastTheirDeadlineWithoutARunAreMissed() {
    var missed = new MissedRuns(DAILY_2AM, "daily", SINCE, DEADLINE);

    var runs =
        missed.asOf(
            Instant.parse("2026-11-25T05:00:00Z"), Set.of(Instant.parse("2026-11-23T02:00:00Z")));

    assertThat(runs)
        .extracting(r -> r.scheduledAt)
        .containsExactly("2026-11-24T02:00:00Z", "2026-11-25T02:00:00Z");
    assertThat(runs).allSatisfy(r -> assertThat(r.result).isEqualTo(RunResult.Missed));
    assertThat(runs.get(0).id).isEqualTo(RunIds.of("daily", Instant.parse("2026-11-24T02:00:00Z")));
  }

  @Test
  void aTimeStillWithinItsDeadlineIsNotMissedYetButDecidedAtTheDeadline() {
    var missed = new MissedRuns(DAILY_2AM, "daily", SINCE, DEADLINE);
    Instant now = Instant.parse("2026-11-23T02:30:00Z");

    assertThat(missed.asOf(now, Set.of())).isEmpty();
    assertThat(missed.nextDecision(now, Set.of())).contains(Instant.parse("2026-11-23T03:00:00Z"));
    assertThat(missed.nextDecision(now, Set.of(Instant.parse("2026-11-23T02:00:00Z")))).isEmpty();
  }

  @Test
  void nothingBeforeTheScheduleStartedCounts() {
    var missed =
        new MissedRuns(DAILY_2AM, "daily", Instant.parse("2026-11-25T02:30:00Z"), DEADLINE);

    assertThat(missed.asOf(Instant.parse("2026-11-25T05:00:00Z"), Set.of())).isEmpty();
  }
}
