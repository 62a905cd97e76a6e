package dev.cdds.operator.entrypoint;

import dev.cdds.operator.reconciler.NotificationSettings;
import dev.cdds.operator.reconciler.OperatorRuntime;
import dev.cdds.operator.reconciler.OperatorSettings;
import dev.cdds.operator.runcontract.FieldManagers;
import dev.cdds.operator.runcontract.GcOverheadGuard;
import dev.cdds.operator.runcontract.SourceNames;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cdds-operator operator}: runs the controller until the process is stopped. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description =
        "Runs the ExportJob controller (in a cluster, or against the current kubeconfig).")
final class OperatorCommand implements Callable<Integer> {
  @Option(
      names = "--export-image",
      required = true,
      description = "Image of the export pods: this operator's own image.")
  String exportImage;

  @Option(
      names = "--namespaces",
      split = ",",
      description = "Namespaces to watch, comma-separated. Default: all namespaces.")
  Set<String> namespaces = new LinkedHashSet<>();

  @Option(
      names = "--default-claim",
      description = "PersistentVolumeClaim for jobs that name no destination.")
  String defaultClaim;

  @Option(
      names = "--starting-deadline",
      defaultValue = "PT1H",
      description =
          "How late a run may still start after an outage (ISO-8601 duration). Default: ${DEFAULT-VALUE}.")
  Duration startingDeadline;

  @Option(
      names = "--run-timeout",
      defaultValue = "PT6H",
      description =
          "How long a run may take, retries and waiting for a node included, for ExportJobs"
              + " without spec.runTimeout (ISO-8601 duration). Default: ${DEFAULT-VALUE}.")
  Duration runTimeout;

  @Option(
      names = "--pending-timeout",
      defaultValue = "PT10M",
      description =
          "How long a run's pod may wait to start (no node, image not pullable, quota) before the"
              + " run fails with the pod's reason (ISO-8601 duration). Default: ${DEFAULT-VALUE}.")
  Duration pendingTimeout;

  @Option(
      names = "--max-concurrent-exports-per-source",
      defaultValue = "4",
      description =
          "Export runs reading one source Secret at once, per namespace; the others wait, shown"
              + " as Queued (0: no limit). Default: ${DEFAULT-VALUE}.")
  int maxConcurrentExportsPerSource;

  @Option(
      names = "--default-jitter",
      defaultValue = "PT0S",
      description =
          "Spread of scheduled starts for ExportJobs without spec.schedule.jitter: each job starts"
              + " a fixed offset (from its uid) inside it after its time (ISO-8601 duration)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration defaultJitter;

  @Option(
      names = "--backoff-limit",
      defaultValue = "2",
      description = "Retries of a failed export pod. Default: ${DEFAULT-VALUE}.")
  int backoffLimit;

  @Option(
      names = "--export-cpu-request",
      defaultValue = "250m",
      description = "CPU request of export pods. Default: ${DEFAULT-VALUE}.")
  String cpuRequest;

  @Option(
      names = "--export-memory",
      defaultValue = "512Mi",
      description = "Memory request and limit of export pods. Default: ${DEFAULT-VALUE}.")
  String memory;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description =
          "Port of /metrics, /healthz and /readyz; -1 for none. Default: ${DEFAULT-VALUE}.")
  int httpPort;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Elect one active replica through a Lease. Default: ${DEFAULT-VALUE}.")
  boolean leaderElection;

  @Option(
      names = "--leader-election-namespace",
      description = "Namespace of the Lease. Default: the operator's own (POD_NAMESPACE).")
  String leaseNamespace;

  @Option(
      names = "--source-names",
      description =
          "YAML file with the table and column names of a database that differs from"
              + " docs/source-schema.md (see docs/exporter.md). Default: the documented names.")
  Path sourceNames;

  @Option(
      names = "--notification-retry-for",
      defaultValue = "PT1H",
      description =
          "How long a spec.notify delivery that fails is retried before it is given up (condition"
              + " Notified False, an Event). ISO-8601 duration.")
  Duration notificationRetryFor;

  @Option(
      names = "--notification-first-retry",
      defaultValue = "PT10S",
      description =
          "The wait after a notification's first failed attempt; each next one waits twice as"
              + " long, at most 5 minutes. ISO-8601 duration.")
  Duration notificationFirstRetry;

  @Option(
      names = "--watch-list",
      description =
          "Fill the caches at start from one streaming watch (Kubernetes' watch-list; on by"
              + " default in the API server from 1.34, off in 1.33) instead of lists read in pages"
              + " of 500. Default: off.")
  boolean watchList;

  /** Exit code of an operator that stopped because it was starved of memory. */
  static final int STARVED = 3;

  @Override
  public Integer call() throws Exception {
    SourceNames names =
        sourceNames == null
            ? SourceNames.DOCUMENTED
            : SourceNames.parse(Files.readString(sourceNames));
    Map<String, Quantity> requests = new HashMap<>();
    requests.put("cpu", new Quantity(cpuRequest));
    requests.put("memory", new Quantity(memory));
    var settings =
        new OperatorSettings(
            exportImage,
            new ResourceRequirementsBuilder()
                .withRequests(requests)
                .withLimits(Map.of("memory", new Quantity(memory)))
                .build(),
            Optional.ofNullable(defaultClaim),
            startingDeadline,
            backoffLimit,
            runTimeout,
            pendingTimeout,
            maxConcurrentExportsPerSource,
            defaultJitter,
            Duration.ofSeconds(30),
            names,
            new NotificationSettings(notificationFirstRetry, notificationRetryFor));
    // A heap too small for the cluster's ExportJobs: exit, so that the kubelet restarts the
    // operator and the alert and the log say why, rather than stay alive doing nothing.
    var guard = GcOverheadGuard.install(GcOverheadGuard.WINDOW, STARVED, reason -> {});
    // The API server names whoever writes without a field manager by its user agent's first word:
    // the Jobs the operator creates and patches say cdds-operator, not the client library's name.
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withWatchList(watchList)
            .withUserAgent(FieldManagers.OPERATOR)
            .build();
    Optional<String> lease =
        leaderElection
            ? Optional.ofNullable(leaseNamespace)
                .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .or(() -> Optional.ofNullable(config.getNamespace()))
            : Optional.empty();
    String identity = System.getenv("POD_NAME");
    if (identity == null) {
      identity = java.net.InetAddress.getLocalHost().getHostName();
    }
    var stopped = new CountDownLatch(1);
    try (var runtime =
        OperatorRuntime.start(
            config, settings, namespaces, lease, identity, httpPort, () -> System.exit(1))) {
      runtime.watch(guard);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }
}
