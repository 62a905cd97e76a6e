package dev.cdds.operator.plugin;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The slider: sets {@code spec.suspend} of each job by a merge patch, so that nothing else of the
 * spec is touched. The API server's rules decide (a started one-time job cannot be changed) and its
 * message is what the user reads; one refusal does not stop the others, but fails the command.
 */
abstract class SetSuspendCommand implements Callable<Integer> {
  @ParentCommand KubectlCdds parent;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", description = "ExportJobs.")
  List<String> names;

  private final boolean suspend;

  SetSuspendCommand(boolean suspend) {
    this.suspend = suspend;
  }

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    int exit = 0;
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      for (String name : names) {
        try {
          ExportJobLookup.get(client, namespace, name);
          ExportJobLookup.named(client, namespace, name)
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"spec\":{\"suspend\":" + suspend + "}}");
          out.println("exportjob.cdds.dev/" + name + (suspend ? " suspended" : " resumed"));
        } catch (KubernetesClientException | IllegalArgumentException e) {
          err.println("error: " + KubectlCdds.message(e));
          exit = 1;
        }
      }
    }
    out.flush();
    err.flush();
    return exit;
  }
}
