package dev.cdds.operator.notification;

import dev.cdds.operator.api.NotifyEvent;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One thing to tell a target: an event of a job's run, with the run's facts as history recorded
 * them (absent once the run has left history).
 *
 * @param since when it became due: the CloudEvent's time, and the start of its retry budget
 * @param filesLink a presigned link to the run's manifest, for people (Slack), when the destination
 *     can make one
 */
public record Notification(
    String namespace,
    String exportJob,
    String title,
    NotifyEvent event,
    String runId,
    Optional<RunRecord> run,
    Instant since,
    Optional<String> filesLink) {

  /** The event's id: the same for every attempt, so that a receiver can drop duplicates. */
  public String id() {
    return id(runId, event);
  }

  public static String id(String runId, NotifyEvent event) {
    return runId + "-" + event.name();
  }

  /** What a finished run is to tell: its result, and a gap when it could not catch up. */
  public static List<NotifyEvent> eventsOf(RunRecord run) {
    List<NotifyEvent> events = new ArrayList<>();
    if (run.result == RunResult.Succeeded) {
      events.add(NotifyEvent.Succeeded);
    } else if (run.result == RunResult.Failed) {
      events.add(
          "DeadlineExceeded".equals(run.reason)
              ? NotifyEvent.DeadlineExceeded
              : NotifyEvent.Failed);
    } else if (run.result == RunResult.Missed) {
      events.add(NotifyEvent.Missed);
    }
    if (run.gapStart != null) {
      events.add(NotifyEvent.GapDetected);
    }
    return events;
  }
}
