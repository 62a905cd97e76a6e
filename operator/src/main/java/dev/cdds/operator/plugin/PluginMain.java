package dev.cdds.operator.plugin;

import picocli.CommandLine;

/**
 * What the {@code kubectl-cdds} launcher runs: the plugin's commands alone, so that a short command
 * such as {@code list} loads none of the operator's, the exporter's or the storage's classes.
 */
public final class PluginMain {
  private PluginMain() {}

  public static void main(String[] args) {
    System.setProperty(PluginLogging.PROPERTY, "true");
    System.exit(CommandLines.withOneLineErrors(new CommandLine(new KubectlCdds())).execute(args));
  }
}
