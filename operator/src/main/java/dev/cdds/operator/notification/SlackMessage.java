package dev.cdds.operator.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.NotifyEvent;
import dev.cdds.operator.api.RunRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A notification as a Slack incoming-webhook message: a few lines a person reads at a glance. */
public final class SlackMessage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackMessage() {}

  public static byte[] of(Notification n) {
    StringBuilder text = new StringBuilder();
    text.append(icon(n.event()))
        .append(" *")
        .append(escape(n.title()))
        .append("* (")
        .append(n.namespace())
        .append('/')
        .append(n.exportJob())
        .append("): ")
        .append(headline(n));
    n.run().ifPresent(run -> details(run, text, n.filesLink()));
    text.append("\nHistory: `kubectl cdds history ")
        .append(n.exportJob())
        .append(" -n ")
        .append(n.namespace())
        .append('`');
    return JSON.createObjectNode()
        .put("text", text.toString())
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String headline(Notification n) {
    return switch (n.event()) {
      case Succeeded -> "run " + n.runId() + " succeeded";
      case Failed -> "run " + n.runId() + " failed";
      case Missed -> "run " + n.runId() + " was missed";
      case DeadlineExceeded -> "run " + n.runId() + " was stopped at its deadline";
      case GapDetected -> "run " + n.runId() + " left data unexported";
      case Suspended -> "suspended after failed runs; the last was " + n.runId();
    };
  }

  private static void details(RunRecord run, StringBuilder text, Optional<String> link) {
    if (run.windowStart != null || run.windowEnd != null) {
      text.append("\nWindow: ").append(run.windowStart).append(" → ").append(run.windowEnd);
    }
    if (run.records != null) {
      text.append("\nRecords: ")
          .append(run.records)
          .append(", ")
          .append(run.bytes)
          .append(" bytes in ")
          .append(run.files)
          .append(" file(s)");
    }
    duration(run).ifPresent(d -> text.append("\nDuration: ").append(d));
    if (run.manifest != null) {
      text.append("\nFiles: ")
          .append(
              link.map(url -> "<" + escape(url) + "|" + escape(run.manifest) + ">")
                  .orElse(escape(run.manifest)));
    }
    if (run.gapStart != null) {
      text.append("\nNot exported: ").append(run.gapStart).append(" → ").append(run.gapEnd);
    }
    if (run.message != null) {
      text.append("\n> ").append(escape(run.message));
    }
  }

  private static Optional<String> duration(RunRecord run) {
    try {
      if (run.startedAt == null || run.finishedAt == null) {
        return Optional.empty();
      }
      Duration d = Duration.between(Instant.parse(run.startedAt), Instant.parse(run.finishedAt));
      return Optional.of(
          d.toHours() > 0
              ? "%dh %02dm".formatted(d.toHours(), d.toMinutesPart())
              : "%dm %02ds".formatted(d.toMinutes(), d.toSecondsPart()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String icon(NotifyEvent event) {
    return switch (event) {
      case Succeeded -> ":white_check_mark:";
      case Suspended -> ":double_vertical_bar:";
      default -> ":x:";
    };
  }

  /** Slack's control characters in user text: the three it asks to escape. */
  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
