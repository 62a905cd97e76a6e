package dev.cdds.operator.plugin;

import picocli.CommandLine.Option;

/** The Jobs page's filters as options, the same for {@code list} and {@code history}. */
final class JobFilterOptions {
  @Option(names = "--source", description = "Only jobs of this source: ContactHistory or IWD.")
  String source;

  @Option(
      names = "--type",
      description = "Only jobs of this record type: Interaction, Contact or Event.")
  String type;

  @Option(
      names = "--search",
      paramLabel = "TEXT",
      description = "Only jobs whose title or name contains TEXT.")
  String search;

  JobFilter filter(String status) {
    return new JobFilter(source, type, status, search);
  }
}
