package dev.cdds.operator.plugin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code kubectl cdds delete NAME}: deletes an ExportJob; while it runs, the API server's admission
 * policy refuses, and its message (how to cancel the run) is what the user reads.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Deletes an ExportJob; refused while a run is in progress.")
final class DeleteCommand extends NamedExportJobCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      ExportJobLookup.get(client, namespace, name);
      ExportJobLookup.named(client, namespace, name).delete();
      var out = spec.commandLine().getOut();
      out.println("exportjob.cdds.dev/" + name + " deleted");
      out.flush();
      return 0;
    }
  }
}
