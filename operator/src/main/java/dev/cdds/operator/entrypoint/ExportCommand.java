package dev.cdds.operator.entrypoint;

import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.exporter.ExportRun;
import dev.cdds.operator.exporter.Partition;
import dev.cdds.operator.exporter.StoreSnapshotExchange;
import dev.cdds.operator.exporter.files.CmsEnvelope;
import dev.cdds.operator.exporter.files.FileEnvelope;
import dev.cdds.operator.exporter.progress.PartitionProgressReporter;
import dev.cdds.operator.exporter.progress.ProgressListener;
import dev.cdds.operator.exporter.progress.ProgressLog;
import dev.cdds.operator.exporter.progress.ProgressReporter;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.retention.RetentionPass;
import dev.cdds.operator.retention.RetentionReporter;
import dev.cdds.operator.runcontract.PodEnv;
import dev.cdds.operator.runcontract.RecipientCertificate;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.schedule.ExportWindow;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdds-operator export}: what each export pod runs. Everything comes from the environment
 * the operator puts into the pod; the result goes to the termination message and the exit code.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Runs one export (in an export pod, configured by its environment).")
final class ExportCommand implements Callable<Integer> {
  private static final List<String> REQUIRED =
      List.of(PodEnv.RUN_ID, PodEnv.SOURCE_URL, PodEnv.SOURCE_USER, PodEnv.SOURCE_PASSWORD);

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
    return new PodStartup(env).run("export", REQUIRED, this::export);
  }

  private RunSummary export(ExportJobSpec spec) throws Exception {
    SourceNames names;
    try {
      names =
          env.get(PodEnv.SOURCE_NAMES) == null
              ? SourceNames.DOCUMENTED
              : SourceNames.parse(env.get(PodEnv.SOURCE_NAMES));
    } catch (IllegalArgumentException e) {
      return RunSummary.failed(e.getMessage());
    }
    FileEnvelope envelope;
    try {
      // Before the store or the database is touched: nothing is written unencrypted.
      envelope = envelope(spec);
    } catch (IllegalArgumentException e) {
      return RunSummary.failed(e.getMessage());
    }
    String runId = env.get(PodEnv.RUN_ID);
    var scheduledAt = RunIds.scheduledAt(runId);
    if (scheduledAt.isEmpty()) {
      return RunSummary.failed("run id " + runId + " does not end with its scheduled minute");
    }
    var target = new RunTarget(env.get(PodEnv.NAMESPACE), env.get(PodEnv.EXPORTJOB), runId);
    ExportJobArchive archive;
    try {
      archive = PodDestination.open(spec, env);
    } catch (IllegalArgumentException e) {
      return RunSummary.failed(e.getMessage());
    }
    SourceDatabase source;
    try {
      source =
          SourceDatabase.of(
              env.get(PodEnv.SOURCE_URL),
              env.get(PodEnv.SOURCE_USER),
              env.get(PodEnv.SOURCE_PASSWORD),
              names);
    } catch (IllegalArgumentException e) {
      return RunSummary.failed(e.getMessage());
    }
    Optional<ExportWindow> rerunWindow;
    Partition partition;
    try {
      rerunWindow = rerunWindow();
      partition = partition(spec);
    } catch (IllegalArgumentException e) {
      return RunSummary.failed(e.getMessage());
    }
    BiFunction<ProgressListener, Optional<Instant>, ExportRun> exportReporting =
        (progress, exportedThrough) ->
            new ExportRun(
                spec,
                target,
                scheduledAt.get(),
                rerunWindow.orElseGet(
                    () ->
                        ExportWindow.of(
                            spec.timeframe, spec.schedule, scheduledAt.get(), exportedThrough)),
                progress,
                Clock.systemUTC(),
                envelope);
    try (archive) {
      RunStore store = archive.run(runId);
      if ("log".equals(progressTarget)) {
        var summary =
            exportReporting
                .apply(new ProgressLog(runId, Clock.systemUTC()), Optional.empty())
                .partition(partition, new StoreSnapshotExchange(store))
                .execute(store, source);
        return retainAfter(summary, partition, archive, spec, runId, Optional.empty());
      }
      try (var client = new KubernetesClientBuilder().build()) {
        Optional<Instant> exportedThrough = Optional.empty();
        if (rerunWindow.isEmpty() && ExportWindow.tiles(spec.timeframe, spec.schedule)) {
          try {
            exportedThrough =
                Optional.ofNullable(
                        AcknowledgedStatus.await(client, target, Clock.systemUTC()).exportedThrough)
                    .map(Instant::parse);
          } catch (IllegalStateException e) {
            return RunSummary.failed(e.getMessage());
          }
        }
        ProgressListener progress =
            partition.partitioned()
                ? new PartitionProgressReporter(
                    client,
                    target.namespace(),
                    target.exportJob(),
                    runId,
                    partition.index(),
                    partition.count(),
                    Clock.systemUTC(),
                    ProgressReporter.DEFAULT_INTERVAL)
                : new ProgressReporter(
                    client,
                    target.namespace(),
                    target.exportJob(),
                    runId,
                    Clock.systemUTC(),
                    ProgressReporter.DEFAULT_INTERVAL);
        var exchange =
            new StatusSnapshotExchange(client, target.namespace(), target.exportJob(), runId);
        var summary =
            exportReporting
                .apply(progress, exportedThrough)
                .partition(partition, exchange)
                .execute(store, source);
        var reporter = new RetentionReporter(client, target.namespace(), target.exportJob());
        return retainAfter(summary, partition, archive, spec, runId, Optional.of(reporter));
      }
    }
  }

  /**
   * Which partition of the run this pod reads: the whole window in one stream unless the job says
   * spec.output.parallelism above 1 and the Indexed Job gave the pod its index.
   *
   * @throws IllegalArgumentException when the index is not one of the run's partitions
   */
  private Partition partition(ExportJobSpec spec) {
    int count = Output.parallelism(spec.output);
    String index = env.get(PodEnv.PARTITION_INDEX);
    if (count == 1 || index == null) {
      return Partition.WHOLE;
    }
    try {
      return new Partition(Integer.parseInt(index), count);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "environment variable "
              + PodEnv.PARTITION_INDEX
              + " is \""
              + index
              + "\", not a partition of the "
              + count
              + " of spec.output.parallelism",
          e);
    }
  }

  /**
   * The window a rerun was given, which it exports whatever the timeframe says.
   *
   * @throws IllegalArgumentException naming the variable that is not a time
   */
  private Optional<ExportWindow> rerunWindow() {
    String start = env.get(PodEnv.WINDOW_START);
    String end = env.get(PodEnv.WINDOW_END);
    if (start == null && end == null) {
      return Optional.empty();
    }
    return Optional.of(new ExportWindow(instant(PodEnv.WINDOW_START), instant(PodEnv.WINDOW_END)));
  }

  private Optional<Instant> instant(String variable) {
    String value = env.get(variable);
    try {
      return Optional.ofNullable(value).filter(v -> !v.isEmpty()).map(Instant::parse);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "environment variable " + variable + " is not an RFC 3339 time: " + value, e);
    }
  }

  /**
   * How files are sealed: to the recipient's certificate when spec.output.encryption is set.
   *
   * @throws IllegalArgumentException saying why the certificate cannot be used
   */
  private FileEnvelope envelope(ExportJobSpec spec) {
    if (spec.output == null || spec.output.encryption == null) {
      return FileEnvelope.NONE;
    }
    String pem = env.get(PodEnv.ENCRYPTION_CERTIFICATE);
    if (pem == null) {
      throw new IllegalArgumentException(
          "spec.output.encryption is set but environment variable "
              + PodEnv.ENCRYPTION_CERTIFICATE
              + " is not");
    }
    try {
      return new CmsEnvelope(RecipientCertificate.parse(pem, Instant.now()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "spec.output.encryption: the certificate " + e.getMessage(), e);
    }
  }

  /**
   * A successful run is followed by the job's retention pass, in the pod that published it (a
   * partitioned run's partition 0); the pod's summary either way.
   */
  private static RunSummary retainAfter(
      RunSummary summary,
      Partition partition,
      ExportJobArchive archive,
      ExportJobSpec spec,
      String runId,
      Optional<RetentionReporter> reporter) {
    if (summary.error() == null && partition.first()) {
      RetentionPass.run(archive, spec, Set.of(runId), reporter, Instant.now());
    }
    return summary;
  }
}
