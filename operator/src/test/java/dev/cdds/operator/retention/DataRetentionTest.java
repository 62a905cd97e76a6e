package dev.cdds.operator.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.RetentionStatus;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.testing.ExportJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When runs count as expired and when a prune is due, with the time given. */
class DataRetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Instant RUN = Instant.parse("2026-10-24T12:00:00Z");

  @Test
  void aRunIsDueExactlyRetentionDaysAfterItsScheduledTimePlusTheSkewAllowance() {
    ExportJob job = job(30, retention(null, RUN));
    var retention = DataRetention.of(job);
    ExportJobStatus status = job.getStatus();

    assertThat(RUN.plus(Duration.ofDays(30))).isEqualTo(NOW);
    assertThat(retention.pruneDue(status, List.of(), NOW)).isFalse();
    assertThat(retention.wakeUp(status, List.of(), NOW)).contains(NOW.plusSeconds(60));
    assertThat(retention.pruneDue(status, List.of(), NOW.plusSeconds(60))).isTrue();
  }

  @Test
  void aShortenedRetentionMakesTheSameRunDueAtOnce() {
    ExportJob job = job(30, retention(null, RUN));
    assertThat(DataRetention.of(job).pruneDue(job.getStatus(), List.of(), NOW.minusSeconds(3600)))
        .isFalse();

    job.getSpec().output.retentionDays = 7;

    assertThat(DataRetention.of(job).pruneDue(job.getStatus(), List.of(), NOW.minusSeconds(3600)))
        .isTrue();
  }

  @Test
  void zeroKeepsForever() {
    ExportJob job = job(0, retention(null, RUN));
    var retention = DataRetention.of(job);

    assertThat(retention.pruneDue(job.getStatus(), List.of(), NOW.plus(Duration.ofDays(999))))
        .isFalse();
    assertThat(retention.condition(new ExportJobStatus(), NOW, job.getStatus()).reason)
        .isEqualTo("KeptForever");
  }

  @Test
  void noPruneWhileAnExportOrAnotherPruneRunsOrRightAfterAFailure() {
    ExportJob job = job(30, retention(null, RUN));
    var retention = DataRetention.of(job);
    Instant late = NOW.plus(Duration.ofDays(1));
    var running = new ExportJobStatus();
    running.currentRun = new CurrentRun();
    running.currentRun.id = "daily-1";
    Job failedAt = prune("Failed", late.minusSeconds(60));

    assertThat(retention.pruneDue(running, List.of(), late)).isFalse();
    assertThat(retention.pruneDue(job.getStatus(), List.of(prune(null, null)), late)).isFalse();
    assertThat(retention.pruneDue(job.getStatus(), List.of(failedAt), late)).isFalse();
    assertThat(retention.wakeUp(job.getStatus(), List.of(failedAt), late))
        .contains(late.plus(Duration.ofMinutes(4)));
    assertThat(retention.pruneDue(job.getStatus(), List.of(failedAt), late.plusSeconds(240)))
        .isTrue();
  }

  @Test
  void aSucceededRunIsExpiredOnceThePassDeletedUpToItsScheduledTime() {
    ExportJob job = job(30, retention(RUN, null));
    RunRecord atBoundary = run("daily-a", RUN, RunResult.Succeeded);
    RunRecord after = run("daily-b", RUN.plusSeconds(60), RunResult.Succeeded);
    RunRecord failed = run("daily-c", RUN.minusSeconds(60), RunResult.Failed);

    List<RunRecord> marked = DataRetention.of(job).markExpired(List.of(after, atBoundary, failed));

    assertThat(marked).extracting(r -> r.expired).containsExactly(null, true, null);
    assertThat(atBoundary.expired).as("the record as read stays as read").isNull();
  }

  @Test
  void aFailedPassShowsInTheConditionWithTheError() {
    var reported = retention(null, RUN);
    reported.error = "deleting expired runs in s3://b/ns/j/: Access Denied";
    ExportJob job = job(30, reported);

    var condition = DataRetention.of(job).condition(new ExportJobStatus(), NOW, job.getStatus());

    assertThat(condition.status).isEqualTo("False");
    assertThat(condition.reason).isEqualTo("PruneFailed");
    assertThat(condition.message).startsWith(reported.error);
  }

  private static ExportJob job(int days, RetentionStatus retention) {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    job.getSpec().output = new Output();
    job.getSpec().output.retentionDays = days;
    job.setStatus(new ExportJobStatus());
    job.getStatus().retention = retention;
    return job;
  }

  private static RetentionStatus retention(Instant deletedUpTo, Instant oldestKept) {
    var retention = new RetentionStatus();
    retention.deletedUpTo = deletedUpTo == null ? null : deletedUpTo.toString();
    retention.oldestKeptRun = oldestKept == null ? null : oldestKept.toString();
    return retention;
  }

  private static RunRecord run(String id, Instant scheduledAt, RunResult result) {
    var run = new RunRecord();
    run.id = id;
    run.scheduledAt = scheduledAt.toString();
    run.result = result;
    return run;
  }

  /** A prune Job: running when {@code condition} is null, else finished so at {@code at}. */
  private static Job prune(String condition, Instant at) {
    var builder = new JobBuilder().withNewMetadata().withName("daily-p1").endMetadata();
    if (condition == null) {
      return builder.withNewStatus().withActive(1).endStatus().build();
    }
    return builder
        .withNewStatus()
        .addNewCondition()
        .withType(condition)
        .withStatus("True")
        .withLastTransitionTime(at.toString())
        .endCondition()
        .endStatus()
        .build();
  }
}
