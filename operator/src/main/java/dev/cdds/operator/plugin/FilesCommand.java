package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.runcontract.PrintableText;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.UntrustedManifestException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * {@code kubectl cdds files NAME [--run ID]}: the "Artifacts" of the runs still kept; {@code files
 * delete} deletes some.
 */
@Command(
    name = "files",
    mixinStandardHelpOptions = true,
    subcommands = FilesDeleteCommand.class,
    description =
        "Every file of the runs still kept at the destination, from their manifests: size,"
            + " records, SHA-256, when it was written and how many days are left before it"
            + " expires. `files delete NAME --run ID…` deletes runs.")
final class FilesCommand implements Callable<Integer> {
  @ParentCommand KubectlCdds parent;
  @Spec CommandSpec spec;

  // Optional to picocli: it checks a command's required parameters before its subcommand runs,
  // so `files delete NAME` would be refused for the NAME `files` did not get.
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The ExportJob.")
  String name;

  @Option(names = "--run", paramLabel = "ID", description = "Only this run.")
  String run;

  @Mixin ClaimDirOption claim;

  @Override
  public Integer call() throws IOException {
    if (name == null) {
      throw new IllegalArgumentException(
          "files needs the job's NAME: kubectl cdds files NAME, or files delete NAME --run ID");
    }
    try (var client = parent.client()) {
      ExportJob job = ExportJobLookup.get(client, ExportJobLookup.namespace(parent, client), name);
      var table =
          new Table(List.of("RUN", "FILE", "SIZE", "RECORDS", "SHA-256", "CREATED", "DAYS LEFT"));
      int runs = 0;
      List<String> refused = new ArrayList<>();
      try (ExportJobArchive archive = RunArchives.open(client, job, claim.dir())) {
        List<String> ids = run == null ? archive.runIds() : List.of(run);
        for (String id : ids) {
          Optional<Instant> scheduledAt = RunIds.scheduledAt(id);
          Optional<Manifest> manifest;
          try {
            manifest = scheduledAt.isEmpty() ? Optional.empty() : archive.run(id).completed();
          } catch (UntrustedManifestException e) {
            if (run != null) {
              throw e;
            }
            // One tampered run must not hide the others; it is named, and the exit code says so.
            refused.add("run " + id + " refused: " + e.getMessage());
            continue;
          }
          if (manifest.isEmpty()) {
            if (run != null) {
              throw new IllegalArgumentException(
                  "run " + run + " has no manifest in " + archive.location() + run + "/");
            }
            continue;
          }
          runs++;
          String left = daysLeft(job, scheduledAt.get(), Instant.now());
          for (PartFile file : manifest.get().allFiles()) {
            table.add(
                List.of(
                    id,
                    file.name(),
                    Describe.bytes(file.bytes()),
                    Long.toString(file.records()),
                    file.sha256(),
                    Describe.minute(manifest.get().completedAt()),
                    left));
          }
        }
      }
      var out = spec.commandLine().getOut();
      out.print(runs == 0 ? "No runs kept.\n" : table.render());
      out.flush();
      var err = spec.commandLine().getErr();
      refused.forEach(r -> err.println("error: " + PrintableText.line(r)));
      err.flush();
      return refused.isEmpty() ? 0 : 1;
    }
  }

  /** Whole days until the run expires (0 in its last day), or "forever". */
  static String daysLeft(ExportJob job, Instant scheduledAt, Instant now) {
    int days = Output.retentionDays(job.getSpec().output);
    if (days == 0) {
      return "forever";
    }
    Duration left = Duration.between(now, scheduledAt.plus(Duration.ofDays(days)));
    return Long.toString(Math.max(0, left.toDays()));
  }
}
