package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.Activity;
import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobCondition;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.LatestRunStatus;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.StatusConditions;
import dev.cdds.operator.runcontract.StatusText;
import dev.cdds.operator.schedule.ActivePeriod;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.schedule.SpecDuration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reconcile step that records finished and missed runs: computes the operator's part of an
 * ExportJob's status from what is observed (its Jobs, the previous status, the clock) and what the
 * schedule says. A pure function, so a restart recomputes the same status, and a finished run is
 * added to history exactly once (its id is then in history).
 */
final class DesiredStatus {
  static final String CHANGED_AFTER_START = "OneTimeJobChangedAfterStart";

  private DesiredStatus() {}

  /** The new status, and the runs it adds to history. */
  record Outcome(ExportJobStatus status, List<RunRecord> newRuns) {}

  static Outcome compute(
      Observed observed,
      Optional<NotReady> notReady,
      DueRuns due,
      Function<Job, Optional<RunSummary>> summaries) {
    ExportJob job = observed.job();
    List<Job> jobs = observed.exportJobs();
    Instant now = observed.now();
    ExportJobStatus previous = observed.previous();
    List<RunRecord> oldHistory = previous.history == null ? List.of() : previous.history;
    Set<String> recorded = oldHistory.stream().map(r -> r.id).collect(Collectors.toSet());

    List<RunRecord> newRuns = new ArrayList<>();
    for (Job j : jobs) {
      if (JobCompletion.finished(j).isPresent() && !recorded.contains(j.getMetadata().getName())) {
        newRuns.add(record(j, summaries.apply(j)));
      }
    }
    Optional<Job> active =
        jobs.stream()
            .filter(j -> JobCompletion.finished(j).isEmpty())
            .max(Comparator.comparing(j -> j.getMetadata().getName()));
    String previousRun = previous.currentRun == null ? null : previous.currentRun.id;
    boolean previousRunGone =
        previousRun != null
            && !recorded.contains(previousRun)
            && jobs.stream().noneMatch(j -> j.getMetadata().getName().equals(previousRun));
    if (previousRunGone) {
      newRuns.add(cancelled(previous.currentRun, now));
    }
    due.missed().stream().filter(r -> !recorded.contains(r.id)).forEach(newRuns::add);
    newRuns.sort(byScheduledTimeNewestFirst());

    var status = new ExportJobStatus();
    status.observedGeneration = job.getMetadata().getGeneration();
    status.history =
        Stream.concat(newRuns.stream(), oldHistory.stream())
            .sorted(byScheduledTimeNewestFirst())
            .limit(job.getSpec().historyLimit == null ? 20 : job.getSpec().historyLimit)
            .toList();
    if (status.history.isEmpty()) {
      status.history = null;
    }
    status.exportedThrough =
        Tiling.exportedThrough(job.getSpec(), previous.exportedThrough, newRuns).orElse(null);
    status.currentRun = active.map(DesiredStatus::currentRun).orElse(null);
    status.lastStartedAt =
        Stream.concat(
                Stream.ofNullable(previous.lastStartedAt),
                jobs.stream()
                    .map(j -> j.getStatus() == null ? null : j.getStatus().getStartTime())
                    .filter(Objects::nonNull))
            .map(Instant::parse)
            .max(Comparator.naturalOrder())
            .map(Instant::toString)
            .orElse(null);
    boolean once = job.getSpec().schedule.run == RunMode.Once;
    // The API server refuses such a change; should one get through, the run is not redone.
    boolean changedAfterStart =
        once
            && (previous.lastStartedAt != null
                || previous.history != null
                || previous.currentRun != null)
            && previous.observedGeneration != null
            && (job.getMetadata().getGeneration() > previous.observedGeneration
                || StatusConditions.find(previous, StatusConditions.READY)
                    .map(c -> CHANGED_AFTER_START.equals(c.reason))
                    .orElse(false));
    if (changedAfterStart) {
      notReady =
          Optional.of(
              new NotReady(
                  CHANGED_AFTER_START,
                  "the spec of this one-time job changed after its run started; the change is"
                      + " ignored: create a new ExportJob to export again"));
    }
    boolean started =
        once && (status.lastStartedAt != null || !jobs.isEmpty() || status.history != null);
    // As the Observed step decided, said with the failed runs' own messages, now in history.
    Optional<String> afterFailures =
        FailureSuspension.of(job, status.history == null ? List.of() : status.history, List.of());
    boolean suspended =
        started || Boolean.TRUE.equals(job.getSpec().suspend) || afterFailures.isPresent();
    status.nextStartsAt =
        suspended || notReady.isPresent()
            ? null
            : due.nextStart().map(Instant::toString).orElse(null);
    ActivePeriod period = ActivePeriod.of(job.getSpec().schedule);
    Optional<Instant> endAt = once ? Optional.empty() : period.endAt();
    boolean ended = !once && period.ended(now);
    status.state =
        ended && active.isEmpty()
            ? ExportJobState.Ended
            : state(status, active.isPresent(), suspended);
    status.latestStatus = latestStatus(status);
    status.activity =
        ended && active.isEmpty()
            ? Activity.Ended
            : suspended ? Activity.Suspended : Activity.Active;
    Optional<RunRecord> lastGap =
        status.history == null
            ? Optional.empty()
            : status.history.stream().filter(r -> r.gapStart != null).findFirst();
    List<ExportJobCondition> conditions = new ArrayList<>();
    conditions.addAll(
        List.of(
            StatusConditions.of(
                previous,
                StatusConditions.READY,
                notReady.isEmpty(),
                notReady.map(NotReady::reason).orElse("Ready"),
                notReady.map(NotReady::message).orElse("the job runs as scheduled"),
                now,
                status),
            StatusConditions.of(
                previous,
                StatusConditions.RUNNING,
                active.isPresent(),
                active.isPresent() ? "RunInProgress" : "Idle",
                active
                    .map(j -> "run " + j.getMetadata().getName() + " is in progress")
                    .orElse("no run in progress"),
                now,
                status),
            StatusConditions.of(
                previous,
                StatusConditions.SUSPENDED,
                suspended,
                started
                    ? "OneTimeJobStarted"
                    : observed.suspendedBySpec()
                        ? "SuspendedBySpec"
                        : afterFailures.isPresent() ? FailureSuspension.REASON : "Active",
                started
                    ? "a one-time job is suspended once it has started; clone it to run it again"
                    : observed.suspendedBySpec()
                        ? "spec.suspend is true: no new run starts"
                        : afterFailures.orElse("runs start on schedule"),
                now,
                status),
            StatusConditions.of(
                previous,
                StatusConditions.GAP_DETECTED,
                lastGap.isPresent(),
                lastGap.isPresent() ? "WindowNotExported" : "NoGap",
                lastGap
                    .map(DesiredStatus::gapMessage)
                    .orElse("every window since the first run was exported"),
                now,
                status)));
    conditions.addAll(KstatusConditions.of(previous, status, notReady, afterFailures, now));
    endAt.ifPresent(
        end ->
            conditions.add(
                StatusConditions.of(
                    previous,
                    StatusConditions.ENDED,
                    ended,
                    ended ? "EndAtPassed" : "BeforeEndAt",
                    ended
                        ? "spec.schedule.endAt ("
                            + end
                            + ") has passed: no run starts any more; history and files are kept,"
                            + " and a later endAt resumes the schedule"
                        : "runs start on schedule until spec.schedule.endAt (" + end + ")",
                    now,
                    status)));
    status.conditions = List.copyOf(conditions);
    return new Outcome(status, newRuns);
  }

  private static RunRecord record(Job job, Optional<RunSummary> summary) {
    JobCondition end = JobCompletion.finished(job).orElseThrow();
    var run = new RunRecord();
    run.id = job.getMetadata().getName();
    run.scheduledAt = RunIds.scheduledAt(run.id).map(Instant::toString).orElse(null);
    run.startedAt = job.getStatus().getStartTime();
    run.finishedAt =
        job.getStatus().getCompletionTime() != null
            ? job.getStatus().getCompletionTime()
            : end.getLastTransitionTime();
    Map<String, String> annotations =
        job.getMetadata().getAnnotations() == null ? Map.of() : job.getMetadata().getAnnotations();
    if ("true".equals(annotations.get(ObjectLabels.MANUAL_RUN))) {
      run.manual = true;
    }
    if ("true".equals(annotations.get(ObjectLabels.IMMEDIATE_RUN))) {
      run.immediate = true;
    }
    run.rerunOf = annotations.get(ObjectLabels.RERUN_OF);
    boolean succeeded = "Complete".equals(end.getType());
    run.result = succeeded ? RunResult.Succeeded : RunResult.Failed;
    int failed = job.getStatus().getFailed() == null ? 0 : job.getStatus().getFailed();
    run.attempts = failed + (succeeded ? 1 : 0);
    summary.ifPresent(
        s -> {
          run.records = s.records();
          run.skippedRecords = s.skippedRecords();
          run.bytes = s.bytes();
          run.files = s.files();
          run.manifest = s.manifest();
          // The pod's word: a window that is not a time is not recorded, so never tiled.
          run.windowStart = time(s.windowStart());
          run.windowEnd = time(s.windowEnd());
        });
    if (succeeded && run.skippedRecords != null) {
      run.message =
          "skipped "
              + run.skippedRecords
              + " bad record(s) under onBadRecord: Skip; their ids are in "
              + run.manifest;
    }
    String failure = annotations.get(PendingRuns.FAILURE);
    if (!succeeded && failure != null) {
      // The operator stopped it: its pod never started.
      int colon = failure.indexOf(':');
      run.reason = colon > 0 ? failure.substring(0, colon) : failure;
      run.message = StatusText.bounded("the run's pod never started: " + failure);
    } else if (!succeeded) {
      run.reason = end.getReason();
      run.message =
          StatusText.bounded(
              "DeadlineExceeded".equals(end.getReason())
                  ? "the run took longer than spec.runTimeout ("
                      + SpecDuration.format(
                          Duration.ofSeconds(job.getSpec().getActiveDeadlineSeconds()))
                      + ") and was stopped; the next run exports its window"
                  : summary
                      .map(RunSummary::error)
                      .orElse(end.getReason() + ": " + end.getMessage()));
    }
    return run;
  }

  private static String time(String text) {
    try {
      return text == null ? null : Instant.parse(text).toString();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String gapMessage(RunRecord run) {
    return "no run exported the data from "
        + run.gapStart
        + " to "
        + run.gapEnd
        + ": run "
        + run.id
        + " caught up only timeframe.maxCatchUp; export it with a one-time job whose timeframe is"
        + " FixedInterval from "
        + run.gapStart
        + " to "
        + run.gapEnd;
  }

  private static RunRecord cancelled(CurrentRun current, Instant now) {
    var run = new RunRecord();
    run.id = current.id;
    run.scheduledAt = current.scheduledAt;
    run.startedAt = current.startedAt;
    run.finishedAt = now.toString();
    run.result = RunResult.Cancelled;
    run.message = "the run's Job was deleted before it finished";
    return run;
  }

  private static CurrentRun currentRun(Job job) {
    var run = new CurrentRun();
    run.id = job.getMetadata().getName();
    run.scheduledAt = RunIds.scheduledAt(run.id).map(Instant::toString).orElse(null);
    run.startedAt = job.getStatus() == null ? null : job.getStatus().getStartTime();
    run.queued = Admission.waiting(job) ? true : null;
    return run;
  }

  private static ExportJobState state(ExportJobStatus status, boolean running, boolean suspended) {
    if (running) {
      return Boolean.TRUE.equals(status.currentRun.queued)
          ? ExportJobState.Queued
          : ExportJobState.Running;
    }
    if (suspended) {
      return ExportJobState.Suspended;
    }
    if (status.history == null) {
      return ExportJobState.Scheduled;
    }
    return switch (status.history.get(0).result) {
      case Succeeded -> ExportJobState.Completed;
      case Failed -> ExportJobState.Failed;
      case Missed, Cancelled -> ExportJobState.Scheduled;
    };
  }

  private static LatestRunStatus latestStatus(ExportJobStatus status) {
    if (status.currentRun != null) {
      return Boolean.TRUE.equals(status.currentRun.queued)
          ? LatestRunStatus.Queued
          : LatestRunStatus.Running;
    }
    if (status.history == null) {
      return LatestRunStatus.NotRun;
    }
    return switch (status.history.get(0).result) {
      case Succeeded -> LatestRunStatus.Succeeded;
      case Failed -> LatestRunStatus.Failed;
      case Missed -> LatestRunStatus.Missed;
      case Cancelled -> LatestRunStatus.Cancelled;
    };
  }

  private static Comparator<RunRecord> byScheduledTimeNewestFirst() {
    return Comparator.comparing((RunRecord r) -> r.scheduledAt == null ? "" : r.scheduledAt)
        .thenComparing(r -> r.id)
        .reversed();
  }
}
