package dev.cdds.operator.plugin;

import picocli.CommandLine.Command;

/** {@code kubectl cdds resume NAME…}: the slider, on. A started one-time job refuses. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = "Resumes suspended ExportJobs.")
final class ResumeCommand extends SetSuspendCommand {
  ResumeCommand() {
    super(false);
  }
}
