package dev.cdds.operator.plugin;

import dev.cdds.operator.runcontract.PrintableText;
import picocli.CommandLine;

/** How every command line of the project fails: one line on stderr, and an exit code. */
public final class CommandLines {
  private CommandLines() {}

  /**
   * A failure is one line on stderr ("error: …") and exit code 1; a usage error is one line saying
   * where the help is, and exit code 2.
   */
  public static CommandLine withOneLineErrors(CommandLine line) {
    line.setParameterExceptionHandler(
        (e, args) -> {
          String command =
              e.getCommandLine()
                  .getCommandSpec()
                  .qualifiedName()
                  .replaceFirst("^(cdds-operator )?cdds\\b", "kubectl cdds");
          var err = e.getCommandLine().getErr();
          err.println(
              "error: " + PrintableText.lines(e.getMessage()) + " (see " + command + " --help)");
          err.flush();
          return 2;
        });
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + PrintableText.lines(KubectlCdds.message(e)));
          cmd.getErr().flush();
          return 1;
        });
    return line;
  }
}
