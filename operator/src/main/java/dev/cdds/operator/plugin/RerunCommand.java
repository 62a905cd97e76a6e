package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.runcontract.PodEnv;
import dev.cdds.operator.schedule.RunIds;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl cdds rerun RUN}: exports one past run's window again, exactly as history recorded
 * it, as a new run marked {@code rerun of RUN}: for a failed run, or data corrected at the source.
 */
@Command(
    name = "rerun",
    mixinStandardHelpOptions = true,
    description =
        "Exports the window of a past run (an id from kubectl cdds history) again, as a new run.")
final class RerunCommand implements Callable<Integer> {
  @ParentCommand KubectlCdds parent;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The run, as kubectl cdds history lists it.")
  String runId;

  @Override
  public Integer call() {
    String name =
        RunIds.exportJob(runId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        runId + " is not a run id (NAME-NUMBER): see kubectl cdds history NAME"));
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      ExportJob job = ExportJobLookup.get(client, namespace, name);
      RunRecord run =
          (job.getStatus() == null || job.getStatus().history == null
                  ? List.<RunRecord>of()
                  : job.getStatus().history)
              .stream()
                  .filter(r -> runId.equals(r.id))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "run "
                                  + runId
                                  + " is not in the history of "
                                  + name
                                  + ": see kubectl cdds history "
                                  + name));
      if (run.result == RunResult.Missed || run.result == RunResult.Cancelled) {
        throw new IllegalArgumentException(
            "run "
                + runId
                + " was "
                + run.result.name().toLowerCase()
                + " and has no recorded window: the next scheduled run catches it up");
      }
      if (run.windowStart == null && run.windowEnd == null) {
        throw new IllegalArgumentException(
            "run "
                + runId
                + " has no recorded window"
                + (run.result == RunResult.Failed
                    ? " (it failed before choosing one): the next scheduled run catches it up"
                    : ": use kubectl cdds run " + name));
      }
      List<EnvVar> env = new ArrayList<>();
      if (run.windowStart != null) {
        env.add(new EnvVar(PodEnv.WINDOW_START, run.windowStart, null));
      }
      if (run.windowEnd != null) {
        env.add(new EnvVar(PodEnv.WINDOW_END, run.windowEnd, null));
      }
      String id = ManualRun.start(client, job, Map.of(ObjectLabels.RERUN_OF, runId), env);
      var out = spec.commandLine().getOut();
      out.println(
          "run "
              + id
              + " of exportjob.cdds.dev/"
              + name
              + " started, exporting again "
              + HistoryCommand.window(run)
              + " (rerun of "
              + runId
              + ")");
      out.flush();
      return 0;
    }
  }
}
