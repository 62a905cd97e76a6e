package dev.cdds.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.exporter.JobArchive;
import dev.cdds.operator.exporter.Retention;
import dev.cdds.operator.exporter.RetentionReporter;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdds-operator prune}: what the operator's prune pods run, with the environment of an
 * export pod but no database credentials. Deletes the job's expired runs (or, with {@code --all},
 * every run, when the ExportJob goes and spec.output.deleteDataWithJob is true); a failure is the
 * exit code and the termination message, so the Job retries it and the operator reports it.
 */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = "Deletes an ExportJob's expired runs from its destination (in a prune pod).")
final class PruneCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PruneCommand.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Map<String, String> env;

  @Option(names = "--all", description = "Delete every run, expired or not.")
  boolean all;

  PruneCommand() {
    this(System.getenv());
  }

  PruneCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    MDC.put("exportjob", env.get("CDDS_EXPORTJOB"));
    MDC.put("namespace", env.get("CDDS_NAMESPACE"));
    Path terminationLog = Path.of(env.getOrDefault("CDDS_TERMINATION_LOG", "/dev/termination-log"));
    String error = prune();
    Files.writeString(
        terminationLog, JSON.writeValueAsString(error == null ? Map.of() : Map.of("error", error)));
    if (error != null) {
      LOG.error("prune failed error=\"{}\"", error);
      return 1;
    }
    return 0;
  }

  /** Null on success, else what went wrong. */
  private String prune() throws IOException {
    for (String required : new String[] {"CDDS_SPEC", "CDDS_NAMESPACE", "CDDS_EXPORTJOB"}) {
      if (env.get(required) == null) {
        return "environment variable " + required + " is not set";
      }
    }
    ExportJobSpec spec = JSON.readValue(env.get("CDDS_SPEC"), ExportJobSpec.class);
    JobArchive archive;
    try {
      archive = PodDestination.open(spec, env);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
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
          return null;
        } catch (IOException e) {
          return "deleting " + archive.location() + ": " + e.getMessage();
        }
      }
      try (var client = new KubernetesClientBuilder().build()) {
        return RetentionPass.run(
                archive,
                spec,
                Set.of(),
                Optional.of(
                    new RetentionReporter(
                        client, env.get("CDDS_NAMESPACE"), env.get("CDDS_EXPORTJOB"))),
                Instant.now())
            .orElse(null);
      }
    }
  }
}
