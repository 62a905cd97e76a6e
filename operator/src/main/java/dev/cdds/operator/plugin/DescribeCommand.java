package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobCondition;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.NotifyTarget;
import dev.cdds.operator.runcontract.PrintableText;
import dev.cdds.operator.schedule.ExportWindow;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kubectl cdds describe NAME}: the job in words, its current run, conditions and Events. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = "The schedule in words, the current run, conditions and recent events.")
final class DescribeCommand extends NamedExportJobCommand implements Callable<Integer> {
  private static final int EVENTS = 10;

  @Override
  public Integer call() {
    var terminal = Terminal.detect(System.getenv());
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      ExportJob job = ExportJobLookup.get(client, namespace, name);
      var s = job.getSpec();
      var status = job.getStatus();
      var out = new StringBuilder();
      out.append(terminal.bold(s.title)).append(" (").append(namespace).append('/').append(name);
      out.append(")\n");
      if (s.description != null) {
        out.append(PrintableText.lines(s.description)).append('\n');
      }
      out.append("Source:    ").append(s.source.system).append(' ').append(s.source.type.name());
      if (s.source.mediaTypes != null) {
        out.append(", media types ").append(String.join(", ", s.source.mediaTypes));
      }
      if (s.source.entityTypes != null) {
        out.append(", entity types ").append(String.join(", ", s.source.entityTypes));
      }
      out.append('\n');
      out.append("Schedule:  ").append(Describe.schedule(job));
      if (Boolean.TRUE.equals(s.suspend)) {
        out.append(" (suspended)");
      }
      out.append('\n');
      String latest = Describe.latest(job);
      out.append("Status:    ").append(terminal.color(latest, latest));
      String activity = Describe.activity(job);
      out.append(activity.isEmpty() ? "" : ", " + activity).append('\n');
      if (status != null && status.lastStartedAt != null) {
        out.append("Last run:  ").append(Describe.minute(status.lastStartedAt)).append('\n');
      }
      if (status != null && status.nextStartsAt != null) {
        out.append("Next run:  ").append(Describe.minute(status.nextStartsAt)).append('\n');
        if (ExportWindow.tiles(s.timeframe, s.schedule)) {
          var next =
              ExportWindow.of(
                  s.timeframe,
                  s.schedule,
                  Instant.parse(status.nextStartsAt),
                  Optional.ofNullable(status.exportedThrough).map(Instant::parse));
          out.append("Next data: ")
              .append(Describe.minute(next.start().orElseThrow().toString()))
              .append(" – ")
              .append(Describe.minute(next.end().orElseThrow().toString()))
              .append(
                  status.exportedThrough == null
                      ? " (no run has exported data yet)"
                      : " (from where the last successful run's window ended)")
              .append('\n');
        }
      }
      if (status != null && status.currentRun != null) {
        var run = status.currentRun;
        out.append("Running:   ")
            .append(PrintableText.line(run.id))
            .append(' ')
            .append(Describe.progress(run, terminal, Instant.now()));
        if (run.recordsDone != null) {
          out.append(", ").append(run.recordsDone).append('/').append(run.recordsTotal);
          out.append(" records, ").append(Describe.bytes(run.bytes));
        }
        out.append('\n');
      }
      if (s.notify != null && !s.notify.isEmpty()) {
        out.append("Notify:\n");
        for (NotifyTarget target : s.notify) {
          out.append("  ").append(PrintableText.line(target.key())).append(" on ");
          out.append(
              target.on == null
                  ? "Failed, Missed, DeadlineExceeded, GapDetected"
                  : String.join(", ", target.on.stream().map(Enum::name).toList()));
          out.append(": ").append(lastDelivery(status, target.key())).append('\n');
        }
      }
      if (status != null && status.conditions != null) {
        out.append("Conditions:\n");
        for (ExportJobCondition c : status.conditions) {
          out.append("  ").append(PrintableText.line(c.type)).append('=');
          out.append(PrintableText.line(c.status));
          out.append(" (").append(PrintableText.line(c.reason)).append(")");
          if (c.message != null && !c.message.isEmpty()) {
            out.append(": ").append(PrintableText.line(c.message));
          }
          out.append('\n');
        }
      }
      List<Event> events =
          client.v1().events().inNamespace(namespace).list().getItems().stream()
              .filter(e -> name.equals(e.getInvolvedObject().getName()))
              .filter(e -> "ExportJob".equals(e.getInvolvedObject().getKind()))
              .sorted(Comparator.comparing(DescribeCommand::time).reversed())
              .limit(EVENTS)
              .toList();
      out.append(events.isEmpty() ? "Events:    none\n" : "Events (newest first):\n");
      for (Event e : events) {
        out.append("  ").append(Describe.minute(time(e))).append(' ').append(e.getType());
        out.append(' ').append(PrintableText.line(e.getReason())).append(": ");
        out.append(PrintableText.line(e.getMessage())).append('\n');
      }
      var writer = spec.commandLine().getOut();
      writer.print(out);
      writer.flush();
      return 0;
    }
  }

  /** The last notification to a target, and how it went; never its URL. */
  private static String lastDelivery(ExportJobStatus status, String target) {
    var notifications = status == null ? null : status.notifications;
    if (notifications == null) {
      return "nothing sent yet";
    }
    long waiting =
        notifications.pending == null
            ? 0
            : notifications.pending.stream().filter(p -> target.equals(p.target)).count();
    String last =
        Optional.ofNullable(notifications.last).orElse(List.of()).stream()
            .filter(d -> target.equals(d.target))
            .findFirst()
            .map(
                d ->
                    "last "
                        + PrintableText.line(d.id)
                        + " "
                        + d.outcome.toLowerCase(java.util.Locale.ROOT)
                        + " "
                        + Describe.minute(d.at)
                        + (d.error == null ? "" : " (" + PrintableText.line(d.error) + ")"))
            .orElse("nothing sent yet");
    return waiting == 0 ? last : last + "; " + waiting + " on the way";
  }

  private static String time(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return e.getMetadata().getCreationTimestamp();
  }
}
