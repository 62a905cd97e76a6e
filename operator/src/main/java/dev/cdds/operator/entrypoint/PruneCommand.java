package dev.cdds.operator.entrypoint;

import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.retention.Retention;
import dev.cdds.operator.retention.RetentionPass;
import dev.cdds.operator.retention.RetentionReporter;
import dev.cdds.operator.runcontract.PodEnv;
import dev.cdds.operator.runcontract.RunDeletionRequest;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.storage.ExportJobArchive;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdds-operator prune}: what the operator's prune pods run, with the environment of an
 * export pod but no database credentials. Deletes the job's expired runs (or, with {@code --all},
 * every run, when the ExportJob goes and spec.output.deleteDataWithJob is true; with {@code --run},
 * the runs a person asked to delete); a failure is the exit code and the termination message, so
 * the Job retries it and the operator reports it.
 */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description =
        "Deletes an ExportJob's expired runs, or the runs named, from its destination (in a"
            + " prune pod).")
final class PruneCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PruneCommand.class);

  private final Map<String, String> env;

  @Option(names = "--all", description = "Delete every run, expired or not.")
  boolean all;

  @Option(
      names = "--run",
      paramLabel = "ID",
      description = "Delete this run (repeatable): what kubectl cdds files delete asked for.")
  List<String> runs = List.of();

  PruneCommand() {
    this(System.getenv());
  }

  PruneCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    return new PodStartup(env).run("prune", List.of(), this::prune);
  }

  private RunSummary prune(ExportJobSpec spec) throws IOException {
    ExportJobArchive archive;
    try {
      archive = PodDestination.open(spec, env);
    } catch (IllegalArgumentException e) {
      return RunSummary.failed(e.getMessage());
    }
    try (archive) {
      if (all) {
        try {
          var result = Retention.deleteAll(archive);
          LOG.info(
              "all runs deleted runs={} files={} from={}",
              result.deletedRuns().size(),
              result.deletedFiles(),
              archive.location());
          return RunSummary.done();
        } catch (IOException e) {
          return RunSummary.failed("deleting " + archive.location() + ": " + e.getMessage());
        }
      }
      try (var client = new KubernetesClientBuilder().build()) {
        var reporter =
            new RetentionReporter(client, env.get(PodEnv.NAMESPACE), env.get(PodEnv.EXPORTJOB));
        if (!runs.isEmpty()) {
          return deleteRequested(archive, reporter);
        }
        return RetentionPass.run(archive, spec, Set.of(), Optional.of(reporter), Instant.now())
            .map(RunSummary::failed)
            .orElse(RunSummary.done());
      }
    }
  }

  /**
   * Deletes the runs asked for; fails (and the operator retries) unless every one is gone, so that
   * a run is marked deleted in history only when its files are. Ids are checked again here: the
   * Job's arguments came from an annotation anyone who may patch the job can write.
   */
  private RunSummary deleteRequested(ExportJobArchive archive, RetentionReporter reporter) {
    String exportJob = env.get(PodEnv.EXPORTJOB);
    List<String> foreign =
        runs.stream().filter(id -> !RunDeletionRequest.isRunOf(exportJob, id)).toList();
    if (!foreign.isEmpty()) {
      return RunSummary.failed("not runs of " + exportJob + ": " + String.join(", ", foreign));
    }
    String error;
    try {
      var result = Retention.deleteRuns(archive, Set.copyOf(runs));
      LOG.info(
          "requested runs deleted runs={} files={} from={}",
          result.deletedRuns().size(),
          result.deletedFiles(),
          archive.location());
      if (result.refused().isEmpty()) {
        reporter.clearError();
        return RunSummary.done();
      }
      error = String.join("; ", result.refused());
    } catch (IOException e) {
      error = "deleting runs in " + archive.location() + ": " + e.getMessage();
    }
    reporter.failed(error);
    return RunSummary.failed(error);
  }
}
