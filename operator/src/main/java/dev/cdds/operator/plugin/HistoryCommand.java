package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kubectl cdds history NAME}: the History page, newest run first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "One line per run: result, window, records, bytes, duration, files.")
final class HistoryCommand extends NamedExportJobCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    var terminal = Terminal.detect(System.getenv());
    try (var client = parent.client()) {
      ExportJob job = ExportJobLookup.get(client, ExportJobLookup.namespace(parent, client), name);
      List<RunRecord> runs =
          job.getStatus() == null || job.getStatus().history == null
              ? List.of()
              : job.getStatus().history;
      var table =
          new Table(
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
                      "MESSAGE"))
              .colouredBy("RESULT", terminal);
      for (RunRecord run : runs) {
        String result = run.result == null ? "" : run.result.name();
        table.add(
            List.of(
                run.id,
                result + (Boolean.TRUE.equals(run.expired) ? " (expired)" : ""),
                trigger(run),
                Describe.minute(run.startedAt),
                Describe.duration(run.startedAt, run.finishedAt),
                window(run),
                run.records == null ? "" : run.records.toString(),
                Describe.bytes(run.bytes),
                run.files == null ? "" : run.files.toString(),
                message(run)));
      }
      var out = spec.commandLine().getOut();
      out.print(runs.isEmpty() ? "No runs yet.\n" : table.render());
      out.flush();
      return 0;
    }
  }

  private static String trigger(RunRecord run) {
    if (run.rerunOf != null) {
      return "rerun of " + run.rerunOf;
    }
    if (Boolean.TRUE.equals(run.immediate)) {
      return "immediate";
    }
    return Boolean.TRUE.equals(run.manual) ? "manual" : "schedule";
  }

  private static String message(RunRecord run) {
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
