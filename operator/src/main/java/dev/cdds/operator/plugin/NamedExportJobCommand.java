package dev.cdds.operator.plugin;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What the commands on one named ExportJob share: the job's name and the global options. */
abstract class NamedExportJobCommand {
  @ParentCommand KubectlCdds parent;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The ExportJob.")
  String name;
}
