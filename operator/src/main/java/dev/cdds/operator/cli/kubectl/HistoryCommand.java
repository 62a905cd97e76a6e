package dev.cdds.operator.cli.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubectl cdds history NAME}: the History page, newest run first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "One line per run: result, window, records, bytes, duration, files.")
final class HistoryCommand extends OneJobCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--files",
      description =
          "Also list each run's files with size, records and SHA-256, from its manifest (when"
              + " the manifest is a path readable here, such as a mounted claim).")
  boolean files;

  @Override
  public Integer call() {
    var terminal = Terminal.detect(System.getenv());
    try (var client = parent.client()) {
      ExportJob job = Jobs.get(client, Jobs.namespace(parent, client), name);
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
                  "MESSAGE"));
      for (RunRecord run : runs) {
        String result = run.result == null ? "" : run.result.name();
        table.add(
            List.of(
                run.id,
                terminal.color(result, result),
                Boolean.TRUE.equals(run.manual) ? "manual" : "schedule",
                Describe.minute(run.startedAt),
                Describe.duration(run.startedAt, run.finishedAt),
                window(run),
                run.records == null ? "" : run.records.toString(),
                Describe.bytes(run.bytes),
                run.files == null ? "" : run.files.toString(),
                run.message == null ? "" : run.message));
      }
      var out = spec.commandLine().getOut();
      out.print(runs.isEmpty() ? "No runs yet.\n" : table.render());
      if (files) {
        for (RunRecord run : runs) {
          out.print(files(run));
        }
      }
      out.flush();
      return 0;
    }
  }

  private static String window(RunRecord run) {
    if (run.windowStart == null && run.windowEnd == null) {
      return run.result != null && run.records != null ? "all" : "";
    }
    return (run.windowStart == null ? "…" : Describe.minute(run.windowStart))
        + " – "
        + (run.windowEnd == null ? "…" : Describe.minute(run.windowEnd));
  }

  private static String files(RunRecord run) {
    if (run.manifest == null) {
      return "";
    }
    Path manifest = Path.of(run.manifest);
    if (run.manifest.startsWith("s3://") || !Files.isReadable(manifest)) {
      return "\n" + run.id + ": manifest at " + run.manifest + "\n";
    }
    var table = new Table(List.of("FILE", "BYTES", "RECORDS", "SHA-256"));
    try {
      JsonNode json = JSON.readTree(manifest.toFile());
      List<JsonNode> all = new ArrayList<>();
      json.path("files").forEach(all::add);
      json.path("attachments").path("files").forEach(all::add);
      for (JsonNode file : all) {
        table.add(
            List.of(
                file.path("name").asText(),
                file.path("bytes").asText(),
                file.path("records").asText(),
                file.path("sha256").asText()));
      }
    } catch (IOException e) {
      return "\n" + run.id + ": manifest " + run.manifest + " unreadable: " + e.getMessage() + "\n";
    }
    return "\n" + run.id + " (" + run.manifest + "):\n" + table.render();
  }
}
