package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.PrintableText;
import dev.cdds.operator.storage.ExportJobArchive;
import java.io.IOException;
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
      KeptFiles kept;
      try (ExportJobArchive archive = RunArchives.open(client, job, claim.dir())) {
        kept = KeptFiles.of(job, archive, Optional.ofNullable(run));
      }
      for (var f : kept.files()) {
        table.add(
            List.of(
                f.run(),
                f.file().name(),
                Describe.bytes(f.file().bytes()),
                Long.toString(f.file().records()),
                f.file().sha256(),
                f.created(),
                f.daysLeft()));
      }
      int runs = kept.runs();
      List<String> refused = kept.refused();
      var out = spec.commandLine().getOut();
      out.print(runs == 0 ? "No runs kept.\n" : table.render());
      out.flush();
      var err = spec.commandLine().getErr();
      refused.forEach(r -> err.println("error: " + PrintableText.line(r)));
      err.flush();
      return refused.isEmpty() ? 0 : 1;
    }
  }
}
