package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.StatusConditions;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.schedule.startAt and endAt of recurring jobs, on the real control plane: no schedule runs
 * before startAt or at and after endAt, and the status says when the job starts and that it ended.
 */
class SchedulePeriodIT {
  @RegisterExtension static final OperatorExtension cluster = OperatorExtension.running("period");

  @Test
  void aDailyJobStartingNextWeekHasNoScheduleBeforeThenAndSaysWhenItsFirstRunIs() {
    Instant startAt = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.HOURS);
    var job = ExportJobs.daily("next-week", "02:00", "UTC");
    job.getSpec().schedule.startAt = startAt.plus(Duration.ofMinutes(1)).toString();
    cluster.jobs().resource(job).create();

    ExportJob seen =
        await("next-week", j -> j.getStatus() != null && j.getStatus().nextStartsAt != null);

    Instant firstDaily = startAt.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(2));
    Instant expected =
        firstDaily.isAfter(startAt.plus(Duration.ofMinutes(1)))
            ? firstDaily
            : firstDaily.plus(Duration.ofDays(1));
    assertThat(seen.getStatus().nextStartsAt).isEqualTo(expected.toString());
    assertThat(seen.getStatus().state).isEqualTo(ExportJobState.Scheduled);
    assertThat(cronJob("next-week")).as("no CronJob before startAt").isNull();
    assertThat(cluster.kubernetesJobsOf("next-week").list().getItems()).isEmpty();
  }

  @Test
  void aJobPastItsEndAtEndsKeepsItsHistoryAndALaterEndAtResumesIt() {
    var job = ExportJobs.daily("ending", "03:00", "UTC");
    job.getSpec().schedule.endAt = Instant.now().plus(Duration.ofDays(1)).toString();
    cluster.jobs().resource(job).create();
    cluster.cronJobOf("ending").waitUntilCondition(Objects::nonNull, 60, TimeUnit.SECONDS);
    String run = cluster.startScheduledRun("ending", Instant.now().minus(Duration.ofMinutes(1)));
    assertThat(cluster.awaitRun("ending", run).result).isEqualTo(RunResult.Succeeded);
    // endAt a few seconds ahead once the run is recorded: the operator must wake up at endAt by
    // itself, however long the steps before took.
    endAt("ending", Instant.now().plus(Duration.ofSeconds(5)));

    ExportJob ended =
        await("ending", j -> j.getStatus() != null && j.getStatus().state == ExportJobState.Ended);

    assertThat(ended.getStatus().nextStartsAt).isNull();
    assertThat(ended.getStatus().history).extracting(r -> r.id).contains(run);
    assertThat(StatusConditions.find(ended.getStatus(), StatusConditions.ENDED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.status).isEqualTo("True");
              assertThat(c.message).startsWith("spec.schedule.endAt (");
            });
    cluster.cronJobOf("ending").waitUntilCondition(Objects::isNull, 30, TimeUnit.SECONDS);
    assertThat(OperatorUnderTest.eventReasons(cluster.client(), cluster.namespace(), "ending"))
        .containsOnlyOnce("Ended");

    endAt("ending", Instant.now().plus(Duration.ofDays(30)));

    ExportJob resumed =
        await(
            "ending",
            j -> j.getStatus().state != ExportJobState.Ended && j.getStatus().nextStartsAt != null);
    assertThat(cronJob("ending")).isNotNull();
    assertThat(resumed.getStatus().history).extracting(r -> r.id).contains(run);
  }

  private void endAt(String name, Instant endAt) {
    cluster
        .jobs()
        .withName(name)
        .edit(
            j -> {
              j.getSpec().schedule.endAt = endAt.toString();
              return j;
            });
  }

  private CronJob cronJob(String name) {
    return cluster.cronJobOf(name).get();
  }

  private ExportJob await(String name, Predicate<ExportJob> condition) {
    return cluster
        .jobs()
        .withName(name)
        .waitUntilCondition(j -> j != null && condition.test(j), 60, TimeUnit.SECONDS);
  }
}
