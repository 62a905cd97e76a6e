package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.Activity;
import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.LatestRunStatus;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.testing.ExportJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DesiredStatusTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Instant NEXT = Instant.parse("2026-11-24T02:00:00Z");

  @Test
  void finishedJobIsRecordedOnceWithItsSummary() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    Job done = finished("daily-29923320", "Complete", 0);
    var summary =
        RunSummary.succeeded(
            10, 100, 1, "s3://b/manifest.json", "2026-11-22T01:45:00Z", "2026-11-23T01:45:00Z", 0);

    var first = compute(job, List.of(done), j -> Optional.of(summary));
    job.setStatus(first.status());
    var second = compute(job, List.of(done), j -> Optional.of(summary));

    assertThat(first.newRuns()).hasSize(1);
    assertThat(second.newRuns()).isEmpty();
    assertThat(second.status().history)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.result).isEqualTo(RunResult.Succeeded);
              assertThat(r.records).isEqualTo(10);
              assertThat(r.manifest).isEqualTo("s3://b/manifest.json");
              assertThat(r.scheduledAt).isEqualTo("2026-11-23T02:00:00Z");
            });
    assertThat(second.status().state).isEqualTo(ExportJobState.Completed);
    assertThat(second.status().nextStartsAt).isEqualTo(NEXT.toString());
    assertThat(second.status().exportedThrough).isEqualTo("2026-11-23T01:45:00Z");
  }

  @Test
  void aWindowThatIsNotATimeIsNotRecordedAndItsDataIsExportedAgain() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    Job done = finished("daily-29923320", "Complete", 0);
    var summary = RunSummary.succeeded(10, 100, 1, "s3://b/manifest.json", "a", "'; DROP", 0);

    var outcome = compute(job, List.of(done), j -> Optional.of(summary));

    assertThat(outcome.status().history.get(0).windowStart).isNull();
    assertThat(outcome.status().history.get(0).windowEnd).isNull();
    // Not trusted: the data starts where the run's own window did, so the next run exports it.
    assertThat(outcome.status().exportedThrough).isEqualTo("2026-11-22T01:45:00Z");
  }

  @Test
  void aRunThatStartsAfterTheExportedDataReportsTheGapOnce() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    job.setStatus(new dev.cdds.operator.api.ExportJobStatus());
    job.getStatus().exportedThrough = "2026-11-20T01:45:00Z";
    Job done = finished("daily-29923320", "Complete", 0);
    var summary =
        RunSummary.succeeded(10, 100, 1, "m", "2026-11-21T01:45:00Z", "2026-11-23T01:45:00Z", 0);

    var first = compute(job, List.of(done), j -> Optional.of(summary));
    job.setStatus(first.status());
    var second = compute(job, List.of(done), j -> Optional.of(summary));

    var run = second.status().history.get(0);
    assertThat(run.gapStart).isEqualTo("2026-11-20T01:45:00Z");
    assertThat(run.gapEnd).isEqualTo("2026-11-21T01:45:00Z");
    assertThat(second.status().exportedThrough).isEqualTo("2026-11-23T01:45:00Z");
    assertThat(
            second.status().conditions.stream()
                .filter(c -> "GapDetected".equals(c.type))
                .findFirst()
                .orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.status).isEqualTo("True");
              assertThat(c.message).contains("2026-11-20T01:45:00Z", "2026-11-21T01:45:00Z");
            });
  }

  @Test
  void aJobsFailedFirstRunMarksWhereItsDataStartsSoTheNextRunCatchesItUp() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    Job failed = finished("daily-29923320", "Failed", 1);

    var outcome =
        compute(job, List.of(failed), j -> Optional.of(RunSummary.failed("connection refused")));

    // The failed run was due 2026-11-23 02:00: its window started a day and 15 minutes before.
    assertThat(outcome.status().exportedThrough).isEqualTo("2026-11-22T01:45:00Z");
  }

  @Test
  void aRerunOfAnOldWindowLeavesWhereTheDataEnds() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    job.setStatus(new dev.cdds.operator.api.ExportJobStatus());
    job.getStatus().exportedThrough = "2026-11-23T01:45:00Z";
    Job rerun = finished("daily-29923320", "Complete", 0);
    rerun.getMetadata().setAnnotations(java.util.Map.of("cdds.dev/rerun-of", "daily-29921880"));
    var summary =
        RunSummary.succeeded(10, 100, 1, "m", "2026-11-21T01:45:00Z", "2026-11-22T01:45:00Z", 0);

    var outcome = compute(job, List.of(rerun), j -> Optional.of(summary));

    assertThat(outcome.status().history.get(0).rerunOf).isEqualTo("daily-29921880");
    assertThat(outcome.status().history.get(0).gapStart).isNull();
    assertThat(outcome.status().exportedThrough).isEqualTo("2026-11-23T01:45:00Z");
  }

  @Test
  void failedJobKeepsThePodsErrorAndCountsAttempts() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    Job failed = finished("daily-29923320", "Failed", 3);

    var outcome =
        compute(job, List.of(failed), j -> Optional.of(RunSummary.failed("connection refused")));

    assertThat(outcome.status().history.get(0).message).isEqualTo("connection refused");
    assertThat(outcome.status().history.get(0).attempts).isEqualTo(3);
    assertThat(outcome.status().state).isEqualTo(ExportJobState.Failed);
  }

  @Test
  void runWhoseJobVanishedIsRecordedAsCancelled() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    job.setStatus(new ExportJobStatus());
    job.getStatus().currentRun = new CurrentRun();
    job.getStatus().currentRun.id = "daily-29923320";
    job.getStatus().currentRun.scheduledAt = "2026-11-23T02:00:00Z";

    var outcome = compute(job, List.of(), j -> Optional.empty());

    assertThat(outcome.status().currentRun).isNull();
    assertThat(outcome.status().history)
        .singleElement()
        .satisfies(r -> assertThat(r.result).isEqualTo(RunResult.Cancelled));
  }

  @Test
  void historyKeepsTheNewestRunsUpToTheLimit() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    job.getSpec().historyLimit = 2;
    List<Job> jobs =
        List.of(
            finished("daily-29920440", "Complete", 0),
            finished("daily-29923320", "Complete", 0),
            finished("daily-29921880", "Complete", 0));

    var outcome = compute(job, jobs, j -> Optional.empty());

    assertThat(outcome.status().history)
        .extracting(r -> r.id)
        .containsExactly("daily-29923320", "daily-29921880");
  }

  @Test
  void runningJobIsTheCurrentRunAndStateRunning() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    Job running =
        new JobBuilder()
            .withNewMetadata()
            .withName("daily-29923320")
            .endMetadata()
            .withNewStatus()
            .withStartTime("2026-11-23T02:00:03Z")
            .withActive(1)
            .endStatus()
            .build();

    var outcome = compute(job, List.of(running), j -> Optional.empty());

    assertThat(outcome.status().currentRun.id).isEqualTo("daily-29923320");
    assertThat(outcome.status().currentRun.startedAt).isEqualTo("2026-11-23T02:00:03Z");
    assertThat(outcome.status().lastStartedAt).isEqualTo("2026-11-23T02:00:03Z");
    assertThat(outcome.status().state).isEqualTo(ExportJobState.Running);
    assertThat(
            ExportJobs.hasCondition(
                withStatus(job, outcome.status()), "Running", "True", "RunInProgress"))
        .isTrue();
  }

  @Test
  void aQueuedRunIsReconcilingAndARunningOneIsNot() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    Job queued =
        new JobBuilder()
            .withNewMetadata()
            .withName("daily-29923320")
            .endMetadata()
            .withNewSpec()
            .withSuspend(true)
            .endSpec()
            .build();
    Job running =
        new JobBuilder(queued)
            .editSpec()
            .withSuspend(false)
            .endSpec()
            .withNewStatus()
            .withActive(1)
            .endStatus()
            .build();

    var waiting = withStatus(job, compute(job, List.of(queued), j -> Optional.empty()).status());
    assertThat(ExportJobs.condition(waiting, "Reconciling").orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.status).isEqualTo("True");
              assertThat(c.reason).isEqualTo("RunQueued");
              assertThat(c.message).startsWith("run daily-29923320 waits for");
            });
    var started = withStatus(job, compute(job, List.of(running), j -> Optional.empty()).status());
    assertThat(ExportJobs.hasCondition(started, "Reconciling", "False", "Reconciled")).isTrue();
    assertThat(ExportJobs.hasCondition(started, "Stalled", "False", "CanProceed")).isTrue();
  }

  @Test
  void aJobThatWaitsForAPersonIsStalledWithTheSameReason() {
    ExportJob missing = ExportJobs.daily("daily", "02:00", "UTC");
    missing.getMetadata().setGeneration(3L);
    var outcome =
        DesiredStatus.compute(
            new Observed(missing, NOW, List.of(), List.of(), Optional.empty(), List.of()),
            Optional.of(new NotReady("SourceSecretMissing", "Secret x not found")),
            new DueRuns(Optional.of(NEXT), List.of(), Optional.empty()),
            j -> Optional.empty());
    ExportJob failing = ExportJobs.daily("failing", "02:00", "UTC");
    failing.getSpec().suspendAfterFailures = 2;
    List<Job> failures =
        List.of(
            finished("failing-29921880", "Failed", 1), finished("failing-29923320", "Failed", 1));

    var missingSecret = withStatus(missing, outcome.status());
    var afterFailures =
        withStatus(failing, compute(failing, failures, j -> Optional.empty()).status());

    assertThat(ExportJobs.condition(missingSecret, "Stalled").orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.status).isEqualTo("True");
              assertThat(c.reason).isEqualTo("SourceSecretMissing");
              assertThat(c.message).isEqualTo("Secret x not found");
              assertThat(c.observedGeneration).isEqualTo(3L);
            });
    assertThat(ExportJobs.condition(afterFailures, "Stalled").orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.status).isEqualTo("True");
              assertThat(c.reason).isEqualTo("SuspendedAfterFailures");
              assertThat(c.message).contains("kubectl cdds resume");
            });
  }

  @Test
  void notReadyJobSaysWhyAndShowsNoNextRun() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    var notReady = new NotReady("SourceSecretMissing", "Secret x not found");

    var outcome =
        DesiredStatus.compute(
            new Observed(job, NOW, List.of(), List.of(), Optional.empty(), List.of()),
            Optional.of(notReady),
            new DueRuns(Optional.of(NEXT), List.of(), Optional.empty()),
            j -> Optional.empty());

    assertThat(outcome.status().nextStartsAt).isNull();
    assertThat(ExportJobs.condition(withStatus(job, outcome.status()), "Ready").orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.status).isEqualTo("False");
              assertThat(c.reason).isEqualTo("SourceSecretMissing");
              assertThat(c.lastTransitionTime).isEqualTo(NOW.toString());
            });
  }

  @Test
  void unchangedConditionsKeepTheirTransitionTime() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    job.setStatus(compute(job, List.of(), j -> Optional.empty()).status());

    var later =
        DesiredStatus.compute(
            new Observed(
                job, NOW.plusSeconds(3600), List.of(), List.of(), Optional.empty(), List.of()),
            Optional.empty(),
            new DueRuns(Optional.of(NEXT), List.of(), Optional.empty()),
            j -> Optional.empty());

    assertThat(later.status().conditions)
        .allSatisfy(c -> assertThat(c.lastTransitionTime).isEqualTo(NOW.toString()));
  }

  @Test
  void startedOneTimeJobIsSuspended() {
    ExportJob job = ExportJobs.once("once");
    Job done = finished("once-29923920", "Complete", 0);

    var outcome =
        DesiredStatus.compute(
            new Observed(job, NOW, List.of(done), List.of(), Optional.empty(), List.of()),
            Optional.empty(),
            new DueRuns(Optional.empty(), List.of(), Optional.empty()),
            j -> Optional.empty());

    assertThat(outcome.status().state).isEqualTo(ExportJobState.Suspended);
    // The Jobs page shows the run's result and the slider apart.
    assertThat(outcome.status().latestStatus).isEqualTo(LatestRunStatus.Succeeded);
    assertThat(outcome.status().activity).isEqualTo(Activity.Suspended);
    assertThat(
            ExportJobs.hasCondition(
                withStatus(job, outcome.status()), "Suspended", "True", "OneTimeJobStarted"))
        .isTrue();
  }

  @Test
  void aRecurringJobBetweenRunsShowsItsLastResultAndStaysActive() {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");

    var failed =
        compute(job, List.of(finished("daily-29923320", "Failed", 1)), j -> Optional.empty());
    var fresh =
        compute(ExportJobs.daily("fresh", "02:00", "UTC"), List.of(), j -> Optional.empty());

    assertThat(failed.status().latestStatus).isEqualTo(LatestRunStatus.Failed);
    assertThat(failed.status().activity).isEqualTo(Activity.Active);
    assertThat(fresh.status().latestStatus).isEqualTo(LatestRunStatus.NotRun);
  }

  @Test
  void oneTimeJobChangedAfterItStartedIsNotRedoneAndSaysWhy() {
    ExportJob job = ExportJobs.once("once");
    job.getMetadata().setGeneration(1L);
    Job done = finished("once-29923920", "Complete", 0);
    job.setStatus(
        DesiredStatus.compute(
                new Observed(job, NOW, List.of(done), List.of(), Optional.empty(), List.of()),
                Optional.empty(),
                new DueRuns(Optional.empty(), List.of(), Optional.empty()),
                j -> Optional.empty())
            .status());
    job.getMetadata().setGeneration(2L);

    var changed =
        DesiredStatus.compute(
            new Observed(job, NOW, List.of(done), List.of(), Optional.empty(), List.of()),
            Optional.empty(),
            new DueRuns(Optional.empty(), List.of(), Optional.empty()),
            j -> Optional.empty());
    job.setStatus(changed.status());
    var later =
        DesiredStatus.compute(
            new Observed(job, NOW, List.of(done), List.of(), Optional.empty(), List.of()),
            Optional.empty(),
            new DueRuns(Optional.empty(), List.of(), Optional.empty()),
            j -> Optional.empty());

    for (var status : List.of(changed.status(), later.status())) {
      assertThat(ExportJobs.condition(withStatus(job, status), "Ready").orElseThrow().reason)
          .isEqualTo("OneTimeJobChangedAfterStart");
    }
    assertThat(later.newRuns()).isEmpty();
  }

  /** A daily job's computation at NOW, ready, with NEXT as its next start and nothing missed. */
  private static DesiredStatus.Outcome compute(
      ExportJob job, List<Job> jobs, Function<Job, Optional<RunSummary>> summaries) {
    return DesiredStatus.compute(
        new Observed(job, NOW, jobs, List.of(), Optional.empty(), List.of()),
        Optional.empty(),
        new DueRuns(Optional.of(NEXT), List.of(), Optional.empty()),
        summaries);
  }

  private static ExportJob withStatus(ExportJob job, ExportJobStatus status) {
    job.setStatus(status);
    return job;
  }

  private static Job finished(String name, String condition, int failedPods) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withStartTime(RunIds.scheduledAt(name).orElseThrow().plusSeconds(2).toString())
        .withCompletionTime(
            "Complete".equals(condition)
                ? RunIds.scheduledAt(name).orElseThrow().plusSeconds(60).toString()
                : null)
        .withFailed(failedPods)
        .addNewCondition()
        .withType(condition)
        .withStatus("True")
        .withReason("BackoffLimitExceeded")
        .withMessage("Job has reached the specified backoff limit")
        .withLastTransitionTime(RunIds.scheduledAt(name).orElseThrow().plusSeconds(60).toString())
        .endCondition()
        .endStatus()
        .build();
  }
}
