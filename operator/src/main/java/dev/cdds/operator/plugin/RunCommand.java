package dev.cdds.operator.plugin;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code kubectl cdds run NAME}: runs a scheduled job now. Its window takes its place in the
 * sequence: from where the last successful run's ended to now, and the next run starts there.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Starts a run of a scheduled ExportJob now; history shows it as manual.")
final class RunCommand extends NamedExportJobCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      String id =
          ManualRun.start(
              client, ExportJobLookup.get(client, namespace, name), Map.of(), List.of());
      var out = spec.commandLine().getOut();
      out.println("run " + id + " of exportjob.cdds.dev/" + name + " started");
      out.flush();
      return 0;
    }
  }
}
