package dev.cdds.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of the image and the jar: every role is a subcommand. */
@Command(
    name = "cdds-operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {OperatorCommand.class, ExportCommand.class},
    description = "Runs scheduled data exports as ExportJob custom resources.")
public final class Main {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
