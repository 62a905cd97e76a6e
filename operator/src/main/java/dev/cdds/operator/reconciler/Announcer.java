package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.NotificationDelivery;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.runcontract.StatusConditions;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reconcile step that tells people what changed, as Events on the ExportJob: a run started or
 * ended, the job was suspended or resumed, runs expired or were deleted on request, retention or
 * readiness failed. Each is said once, on the change between the stored status and the new one; and
 * a notification given up.
 */
final class Announcer {
  private Announcer() {}

  static void announce(
      ExportJob job, ExportJobStatus after, List<RunRecord> newRuns, EventRecorder events) {
    ExportJobStatus before = job.getStatus() == null ? new ExportJobStatus() : job.getStatus();
    if (after.currentRun != null
        && (before.currentRun == null || !after.currentRun.id.equals(before.currentRun.id))) {
      events.normal(
          job,
          "RunStarted",
          "run " + after.currentRun.id + " started, scheduled at " + after.currentRun.scheduledAt);
    }
    if (after.currentRun != null
        && Boolean.TRUE.equals(after.currentRun.queued)
        && (before.currentRun == null
            || !after.currentRun.id.equals(before.currentRun.id)
            || !Boolean.TRUE.equals(before.currentRun.queued))) {
      events.normal(
          job,
          "RunQueued",
          "run "
              + after.currentRun.id
              + " waits for its turn: it starts after its spec.schedule.jitter and once fewer"
              + " than the operator's --max-concurrent-exports-per-source runs of its source"
              + " Secret are going");
    }
    for (RunRecord run : newRuns) {
      switch (run.result) {
        case Succeeded ->
            events.normal(
                job,
                "RunSucceeded",
                "run %s succeeded: %s records, %s bytes, %s files"
                    .formatted(run.id, run.records, run.bytes, run.files));
        case Failed ->
            events.warning(job, "RunFailed", "run " + run.id + " failed: " + run.message);
        case Cancelled -> events.normal(job, "RunCancelled", "run " + run.id + ": " + run.message);
        case Missed -> events.warning(job, "RunMissed", "run " + run.id + ": " + run.message);
      }
      if (run.gapStart != null) {
        events.warning(job, StatusConditions.GAP_DETECTED, DesiredStatus.gapMessage(run));
      }
    }
    announceSuspension(job, before, after, events);
    var endedBefore = StatusConditions.find(before, StatusConditions.ENDED);
    var endedAfter = StatusConditions.find(after, StatusConditions.ENDED);
    if (endedAfter.map(c -> "True".equals(c.status)).orElse(false)
        && !endedBefore.map(c -> "True".equals(c.status)).orElse(false)) {
      events.normal(job, "Ended", endedAfter.get().message);
    }
    announceMarked(
        job,
        before,
        after,
        events,
        r -> Boolean.TRUE.equals(r.expired),
        "RunExpired",
        "expired: its files and manifest were deleted from the destination");
    announceMarked(
        job,
        before,
        after,
        events,
        r -> Boolean.TRUE.equals(r.deleted),
        "RunFilesDeleted",
        "was deleted as asked: its files and manifest are gone from the destination");
    announceGivenUpNotifications(job, before, after, events);
    var retentionBefore = StatusConditions.find(before, StatusConditions.RETENTION);
    var retentionAfter = StatusConditions.find(after, StatusConditions.RETENTION).orElseThrow();
    if ("False".equals(retentionAfter.status)
        && retentionBefore.map(c -> !"False".equals(c.status)).orElse(true)) {
      events.warning(job, retentionAfter.reason, retentionAfter.message);
    }
    var readyBefore = StatusConditions.find(before, StatusConditions.READY);
    var readyAfter = StatusConditions.find(after, StatusConditions.READY).orElseThrow();
    if ("False".equals(readyAfter.status)
        && readyBefore.map(c -> !readyAfter.reason.equals(c.reason)).orElse(true)) {
      events.warning(job, readyAfter.reason, readyAfter.message);
    }
  }

  private static void announceSuspension(
      ExportJob job, ExportJobStatus before, ExportJobStatus after, EventRecorder events) {
    var suspendedBefore = StatusConditions.find(before, StatusConditions.SUSPENDED);
    var suspendedAfter = StatusConditions.find(after, StatusConditions.SUSPENDED).orElseThrow();
    if (suspendedBefore.map(c -> !c.status.equals(suspendedAfter.status)).orElse(true)
        && (suspendedBefore.isPresent() || "True".equals(suspendedAfter.status))) {
      events.normal(
          job,
          "True".equals(suspendedAfter.status) ? "Suspended" : "Resumed",
          suspendedAfter.message);
    }
  }

  private static void announceGivenUpNotifications(
      ExportJob job, ExportJobStatus before, ExportJobStatus after, EventRecorder events) {
    Set<String> givenUpBefore =
        givenUp(before).map(d -> d.target + " " + d.id).collect(Collectors.toSet());
    givenUp(after)
        .filter(d -> !givenUpBefore.contains(d.target + " " + d.id))
        .forEach(d -> events.warning(job, "NotificationFailed", Notifications.givenUp(d)));
  }

  private static Stream<NotificationDelivery> givenUp(ExportJobStatus status) {
    return Stream.ofNullable(status.notifications)
        .flatMap(n -> Stream.ofNullable(n.last))
        .flatMap(List::stream)
        .filter(d -> Notifications.FAILED.equals(d.outcome));
  }

  /** A run newly marked {@code marked} (expired, deleted on request) in history. */
  private static void announceMarked(
      ExportJob job,
      ExportJobStatus before,
      ExportJobStatus after,
      EventRecorder events,
      Predicate<RunRecord> marked,
      String reason,
      String what) {
    Set<String> markedBefore =
        Stream.ofNullable(before.history)
            .flatMap(List::stream)
            .filter(marked)
            .map(r -> r.id)
            .collect(Collectors.toSet());
    Stream.ofNullable(after.history)
        .flatMap(List::stream)
        .filter(r -> marked.test(r) && !markedBefore.contains(r.id))
        .forEach(r -> events.normal(job, reason, "run " + r.id + " " + what));
  }
}
