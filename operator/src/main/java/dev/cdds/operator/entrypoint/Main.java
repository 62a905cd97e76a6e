package dev.cdds.operator.entrypoint;

import dev.cdds.operator.plugin.CommandLines;
import dev.cdds.operator.plugin.KubectlCdds;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of the image and the jar: every role is a subcommand, the plugin ({@code
 * cdds}) with all of its own.
 */
@Command(
    name = "cdds-operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {OperatorCommand.class, ExportCommand.class, PruneCommand.class},
    description = "Runs scheduled data exports as ExportJob custom resources.")
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line; a failure is one line on stderr ("error: …") and exit code 1, a usage error
   * one line saying where the help is and exit code 2.
   */
  public static CommandLine commandLine() {
    return CommandLines.withOneLineErrors(
        new CommandLine(new Main()).addSubcommand(KubectlCdds.commandLine()));
  }
}
