package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kubectl cdds clone SRC NEW}: "Clone selected" — the spec under a new name, no status. */
@Command(
    name = "clone",
    mixinStandardHelpOptions = true,
    description = "Creates NEW with the spec of SRC (status cleared), with optional overrides.")
final class CloneCommand implements Callable<Integer> {
  @ParentCommand KubectlCdds parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "The ExportJob to copy.")
  String source;

  @Parameters(index = "1", description = "Name of the copy.")
  String name;

  @Option(names = "--title", description = "Title of the copy. Default: the original's.")
  String title;

  @Option(names = "--suspend", description = "Create the copy suspended.")
  boolean suspend;

  @Option(
      names = "--start",
      description =
          "With --end: the copy exports this fixed window (timeframe FixedInterval), RFC 3339.")
  String start;

  @Option(names = "--end", description = "With --start: the end of the copy's window, RFC 3339.")
  String end;

  @Option(
      names = "--start-at",
      description = "A one-time copy runs at this time (RFC 3339) instead of the original's.")
  String startAt;

  @Override
  public Integer call() {
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      ExportJob original = ExportJobLookup.get(client, namespace, source);
      ExportJob copy = copyOf(original, name, title, suspend, start, end, startAt);
      client.resources(ExportJob.class).inNamespace(namespace).resource(copy).create();
      var out = spec.commandLine().getOut();
      if (start == null && SetSuspendCommand.startedOneTimeJob(original)) {
        var err = spec.commandLine().getErr();
        err.println(
            "warning: "
                + source
                + " has already run: "
                + name
                + " exports the same window again (--start and --end choose another)");
        err.flush();
      }
      out.println("exportjob.cdds.dev/" + name + " created (clone of " + source + ")");
      out.flush();
      return 0;
    }
  }

  /**
   * The copy of {@code original} named {@code name}: its spec and labels, with the overrides given
   * (each may be null), status cleared.
   */
  static ExportJob copyOf(
      ExportJob original,
      String name,
      String title,
      boolean suspend,
      String start,
      String end,
      String startAt) {
    var copy = new ExportJob();
    copy.getMetadata().setName(name);
    copy.getMetadata().setLabels(original.getMetadata().getLabels());
    copy.setSpec(Serialization.clone(original.getSpec()));
    ExportJobSpec s = copy.getSpec();
    if (title != null) {
      s.title = title;
    }
    if (suspend) {
      s.suspend = true;
    }
    if ((start == null) != (end == null)) {
      throw new IllegalArgumentException("--start and --end go together: the copy's window");
    }
    if (start != null) {
      s.timeframe = new Timeframe();
      s.timeframe.type = TimeframeType.FixedInterval;
      s.timeframe.start = start;
      s.timeframe.end = end;
    }
    if (startAt != null) {
      s.schedule.startAt = startAt;
    }
    return copy;
  }
}
