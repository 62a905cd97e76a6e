package dev.cdds.operator.plugin;

import picocli.CommandLine.Command;

/** {@code kubectl cdds suspend NAME…}: the slider, off. */
@Command(
    name = "suspend",
    mixinStandardHelpOptions = true,
    description = "Suspends ExportJobs: no new run starts until resumed.")
final class SuspendCommand extends SetSuspendCommand {
  SuspendCommand() {
    super(true);
  }
}
