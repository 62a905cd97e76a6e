package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.schedule.SpecDuration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl cdds history [NAME]}: the History page, newest run first: one job's runs, or every
 * job's of the namespace (all namespaces with -A); {@code --run ID}: one run in detail.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "One line per run, newest first: result, window, records, bytes, duration, files. Without"
            + " NAME, the runs of every job of the namespace (-A: of every namespace).")
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand KubectlCdds parent;
  @Mixin JobFilterOptions filters;
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", description = "The ExportJob. Default: every job.")
  String name;

  @Option(names = "--run", paramLabel = "ID", description = "Show this run of NAME in detail.")
  String run;

  @Option(
      names = "--result",
      description = "Only runs with this result: Succeeded, Failed, Missed or Cancelled.")
  String result;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "Only runs scheduled since then: a duration back from now (24h, 7d) or a time.")
  String since;

  @Override
  public Integer call() {
    var terminal = Terminal.detect(System.getenv());
    Optional<Instant> from = since == null ? Optional.empty() : Optional.of(since(since));
    var out = spec.commandLine().getOut();
    try (var client = parent.client()) {
      List<ExportJob> jobs;
      if (name != null) {
        jobs =
            List.of(ExportJobLookup.get(client, ExportJobLookup.namespace(parent, client), name));
      } else if (run != null) {
        throw new IllegalArgumentException("--run needs the job's NAME");
      } else {
        var resources = client.resources(ExportJob.class);
        var namespace = parent.namespace(client);
        jobs =
            (namespace.isPresent()
                    ? resources.inNamespace(namespace.get()).list()
                    : resources.inAnyNamespace().list())
                .getItems();
      }
      var filter = filters.filter(null);
      List<Row> rows = new ArrayList<>();
      for (ExportJob job : jobs) {
        if (!filter.test(job) || job.getStatus() == null || job.getStatus().history == null) {
          continue;
        }
        for (RunRecord r : job.getStatus().history) {
          if ((result == null || (r.result != null && result.equalsIgnoreCase(r.result.name())))
              && from.map(t -> r.scheduledAt != null && !Instant.parse(r.scheduledAt).isBefore(t))
                  .orElse(true)) {
            rows.add(new Row(job, r));
          }
        }
      }
      if (run != null) {
        var found =
            rows.stream()
                .filter(r -> run.equals(r.run().id))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "run " + run + " is not in the history of " + name));
        out.print(RunDetails.of(found.job(), found.run()));
      } else {
        rows.sort(
            Comparator.comparing((Row r) -> r.run().scheduledAt == null ? "" : r.run().scheduledAt)
                .reversed());
        out.print(rows.isEmpty() ? "No runs yet.\n" : table(rows, name == null, terminal));
      }
      out.flush();
      return 0;
    }
  }

  private record Row(ExportJob job, RunRecord run) {}

  private String table(List<Row> rows, boolean everyJob, Terminal terminal) {
    boolean allNamespaces = everyJob && parent.allNamespaces;
    List<String> headers = new ArrayList<>();
    if (allNamespaces) {
      headers.add("NAMESPACE");
    }
    if (everyJob) {
      headers.add("JOB");
    }
    headers.addAll(
        List.of(
            "RUN",
            "RESULT",
            "TRIGGER",
            "STARTED",
            "DURATION",
            "WINDOW",
            "RECORDS",
            "BYTES",
            "FILES",
            "MESSAGE"));
    var table = new Table(headers).colouredBy("RESULT", terminal);
    for (Row row : rows) {
      RunRecord r = row.run();
      List<String> cells = new ArrayList<>();
      if (allNamespaces) {
        cells.add(row.job().getMetadata().getNamespace());
      }
      if (everyJob) {
        cells.add(row.job().getMetadata().getName());
      }
      var shown = DashboardViews.RunRow.of(row.job(), r);
      cells.addAll(
          List.of(
              shown.id(),
              shown.result(),
              shown.trigger(),
              shown.started(),
              shown.duration(),
              shown.window(),
              shown.records(),
              shown.bytes(),
              shown.files(),
              shown.message()));
      table.add(cells);
    }
    return table.render();
  }

  private static Instant since(String text) {
    try {
      if (text.matches("[0-9]+d")) {
        return Instant.now()
            .minus(java.time.Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1))));
      }
      if (text.matches("([0-9]+h)?([0-9]+m)?([0-9]+s)?")) {
        return Instant.now().minus(SpecDuration.parse(text, "--since"));
      }
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--since: a duration back from now (24h, 90m, 7d) or a time such as"
              + " 2026-11-01T00:00:00Z, not "
              + text);
    }
  }

  static String trigger(RunRecord run) {
    if (run.rerunOf != null) {
      return "rerun of " + run.rerunOf;
    }
    if (Boolean.TRUE.equals(run.immediate)) {
      return "immediate";
    }
    return Boolean.TRUE.equals(run.manual) ? "manual" : "schedule";
  }

  static String message(RunRecord run) {
    String gap =
        run.gapStart == null
            ? ""
            : "GAP: nothing exported from "
                + Describe.minute(run.gapStart)
                + " to "
                + Describe.minute(run.gapEnd)
                + (run.message == null ? "" : "; ");
    return gap + (run.message == null ? "" : run.message);
  }

  static String window(RunRecord run) {
    if (run.windowStart == null && run.windowEnd == null) {
      return run.result != null && run.records != null ? "all" : "";
    }
    return (run.windowStart == null ? "…" : Describe.minute(run.windowStart))
        + " – "
        + (run.windowEnd == null ? "…" : Describe.minute(run.windowEnd));
  }
}
