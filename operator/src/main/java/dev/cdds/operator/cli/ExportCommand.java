package dev.cdds.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.exporter.CmsEnvelope;
import dev.cdds.operator.exporter.ExportRun;
import dev.cdds.operator.exporter.FileEnvelope;
import dev.cdds.operator.exporter.JobArchive;
import dev.cdds.operator.exporter.ProgressListener;
import dev.cdds.operator.exporter.ProgressLog;
import dev.cdds.operator.exporter.ProgressReporter;
import dev.cdds.operator.exporter.RecipientCertificate;
import dev.cdds.operator.exporter.RetentionReporter;
import dev.cdds.operator.exporter.RunStore;
import dev.cdds.operator.exporter.RunSummary;
import dev.cdds.operator.exporter.RunTarget;
import dev.cdds.operator.exporter.SourceDatabase;
import dev.cdds.operator.exporter.SourceNames;
import dev.cdds.operator.reconciler.RunIds;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * {@code cdds-operator export}: what each export pod runs. Everything comes from the environment
 * the operator puts into the pod; the result goes to the termination message and the exit code.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    subcommands = {GenerateSampleCommand.class},
    description = "Runs one export (in an export pod, configured by its environment).")
final class ExportCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ExportCommand.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Map<String, String> env;

  @Option(
      names = "--progress",
      defaultValue = "status",
      description =
          "Where progress goes: status (the ExportJob's status, in a pod) or log (one line at most"
              + " every 5 s, for runs outside a cluster). Default: ${DEFAULT-VALUE}.")
  String progressTarget;

  ExportCommand() {
    this(System.getenv());
  }

  ExportCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    MDC.put("exportjob", env.get("CDDS_EXPORTJOB"));
    MDC.put("namespace", env.get("CDDS_NAMESPACE"));
    MDC.put("run", env.get("CDDS_RUN_ID"));
    Path terminationLog = Path.of(env.getOrDefault("CDDS_TERMINATION_LOG", "/dev/termination-log"));
    RunSummary summary = run();
    Files.writeString(terminationLog, summary.toJson());
    if (summary.error() != null) {
      LOG.error("export failed run={} error=\"{}\"", env.get("CDDS_RUN_ID"), summary.error());
      return 1;
    }
    return 0;
  }

  private RunSummary run() throws Exception {
    for (String required :
        new String[] {
          "CDDS_SPEC",
          "CDDS_RUN_ID",
          "CDDS_NAMESPACE",
          "CDDS_EXPORTJOB",
          "CDDS_SOURCE_URL",
          "CDDS_SOURCE_USER",
          "CDDS_SOURCE_PASSWORD"
        }) {
      if (env.get(required) == null) {
        return RunSummary.failed("environment variable " + required + " is not set");
      }
    }
    ExportJobSpec spec = JSON.readValue(env.get("CDDS_SPEC"), ExportJobSpec.class);
    SourceNames names;
    try {
      names =
          env.get("CDDS_SOURCE_NAMES") == null
              ? SourceNames.DOCUMENTED
              : SourceNames.parse(env.get("CDDS_SOURCE_NAMES"));
    } catch (IllegalArgumentException e) {
      return RunSummary.failed(e.getMessage());
    }
    FileEnvelope envelope = FileEnvelope.NONE;
    if (spec.output != null && spec.output.encryption != null) {
      // Before the store or the database is touched: nothing is written unencrypted.
      String pem = env.get("CDDS_ENCRYPTION_CERTIFICATE");
      if (pem == null) {
        return RunSummary.failed(
            "spec.output.encryption is set but environment variable CDDS_ENCRYPTION_CERTIFICATE"
                + " is not");
      }
      try {
        envelope = new CmsEnvelope(RecipientCertificate.parse(pem, Instant.now()));
      } catch (IllegalArgumentException e) {
        return RunSummary.failed("spec.output.encryption: the certificate " + e.getMessage());
      }
    }
    String runId = env.get("CDDS_RUN_ID");
    var scheduledAt = RunIds.scheduledAt(runId);
    if (scheduledAt.isEmpty()) {
      return RunSummary.failed("run id " + runId + " does not end with its scheduled minute");
    }
    var target = new RunTarget(env.get("CDDS_NAMESPACE"), env.get("CDDS_EXPORTJOB"), runId);
    JobArchive archive;
    try {
      archive = PodDestination.open(spec, env);
    } catch (IllegalArgumentException e) {
      return RunSummary.failed(e.getMessage());
    }
    try (archive) {
      RunStore store = archive.run(runId);
      Set<String> inUse = Set.of(runId);
      if ("log".equals(progressTarget)) {
        RunSummary summary =
            export(
                spec,
                target,
                scheduledAt.get(),
                store,
                names,
                envelope,
                new ProgressLog(runId, Clock.systemUTC()));
        if (summary.error() == null) {
          RetentionPass.run(archive, spec, inUse, Optional.empty(), Instant.now());
        }
        return summary;
      }
      try (var client = new KubernetesClientBuilder().build()) {
        var progress =
            new ProgressReporter(
                client,
                target.namespace(),
                target.exportJob(),
                runId,
                Clock.systemUTC(),
                ProgressReporter.DEFAULT_INTERVAL);
        RunSummary summary =
            export(spec, target, scheduledAt.get(), store, names, envelope, progress);
        if (summary.error() == null) {
          RetentionPass.run(
              archive,
              spec,
              inUse,
              Optional.of(new RetentionReporter(client, target.namespace(), target.exportJob())),
              Instant.now());
        }
        return summary;
      }
    }
  }

  private RunSummary export(
      ExportJobSpec spec,
      RunTarget target,
      Instant scheduledAt,
      RunStore store,
      SourceNames names,
      FileEnvelope envelope,
      ProgressListener progress) {
    return new ExportRun(spec, target, scheduledAt, progress, Clock.systemUTC(), envelope)
        .execute(
            store,
            new SourceDatabase(
                env.get("CDDS_SOURCE_URL"),
                env.get("CDDS_SOURCE_USER"),
                env.get("CDDS_SOURCE_PASSWORD"),
                names));
  }
}
