package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

  /**
   * Suspend sets spec.suspend. Resume clears it and marks when it happened, which also ends a
   * suspension after failed runs (those before it no longer count).
   *
   * @throws IllegalArgumentException for a one-time job that has started: it runs only once
   */
  static String patch(ExportJob job, boolean suspend) {
    if (suspend) {
      return "{\"spec\":{\"suspend\":true}}";
    }
    if (startedOneTimeJob(job)) {
      throw new IllegalArgumentException(
          job.getMetadata().getName()
              + ": a one-time job cannot run again once it has started: clone it (kubectl cdds"
              + " clone "
              + job.getMetadata().getName()
              + " NEW-NAME)");
    }
    return "{\"metadata\":{\"annotations\":{\""
        + ObjectLabels.RESUMED_AT
        + "\":\""
        + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + "\"}},\"spec\":{\"suspend\":false}}";
  }

  /** A one-time job that has started: it never runs again; clone it instead. */
  static boolean startedOneTimeJob(ExportJob job) {
    var status = job.getStatus();
    return job.getSpec().schedule.run == RunMode.Once
        && status != null
        && (status.lastStartedAt != null || status.history != null || status.currentRun != null);
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
          ExportJob job = ExportJobLookup.get(client, namespace, name);
          ExportJobLookup.named(client, namespace, name)
              .patch(PatchContext.of(PatchType.JSON_MERGE), patch(job, suspend));
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
