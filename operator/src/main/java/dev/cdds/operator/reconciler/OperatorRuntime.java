package dev.cdds.operator.reconciler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cdds.operator.runcontract.GcOverheadGuard;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator: the ExportJob controller on java-operator-sdk, optional leader election,
 * and an HTTP endpoint with /metrics (Prometheus), /healthz and /readyz for the kubelet's probes.
 */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
  public static final String LEASE_NAME = "cdds-operator";

  private final Operator operator;
  private final HttpServer http;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean closing;
  private final AtomicReference<GcOverheadGuard> starved;

  private OperatorRuntime(
      Operator operator,
      HttpServer http,
      PrometheusMeterRegistry registry,
      AtomicBoolean closing,
      AtomicReference<GcOverheadGuard> starved) {
    this.closing = closing;
    this.starved = starved;
    this.operator = operator;
    this.http = http;
    this.registry = registry;
  }

  /**
   * @param config how to reach the API server: the runtime makes its own client of it and closes it
   *     when it stops, so that nothing else in the process shares the operator's connections
   * @param namespaces namespaces to watch; empty for all
   * @param leaseNamespace where the leader-election Lease lives; empty to run without election
   * @param identity this replica's name in the Lease
   * @param httpPort port of /metrics, /healthz and /readyz; 0 picks a free one, negative: none
   * @param onLostLeadership what to do when another replica took over while this one was not
   *     closing: the command exits, so the kubelet restarts it as a follower
   */
  public static OperatorRuntime start(
      Config config,
      OperatorSettings settings,
      Set<String> namespaces,
      Optional<String> leaseNamespace,
      String identity,
      int httpPort,
      Runnable onLostLeadership)
      throws IOException {
    var closing = new AtomicBoolean();
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // The JVM's own gauges (heap, threads, CPU), for the dashboard and the scale benchmark.
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    var operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(true)
                  .withMetrics(
                      // Per controller, not per ExportJob: per-resource timers with histograms
                      // took most of the heap and of the CPU at 5,000 jobs (scale benchmark).
                      MicrometerMetrics.withoutPerResourceMetrics(registry));
              leaseNamespace.ifPresent(
                  ns ->
                      o.withLeaderElectionConfiguration(
                          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                                  LEASE_NAME)
                              .withLeaseNamespace(ns)
                              .withIdentity(identity)
                              // Exiting is ours to decide: never while closing on purpose.
                              .withExitOnStopLeading(false)
                              .withLeaderCallbacks(
                                  new LeaderCallbacks(
                                      () -> LOG.info("leading identity={}", identity),
                                      () -> {
                                        if (!closing.get()) {
                                          LOG.error("lost leadership identity={}", identity);
                                          onLostLeadership.run();
                                        }
                                      },
                                      leader -> LOG.info("leader identity={}", leader)))
                              .build()));
            });
    operator.register(
        new ExportJobReconciler(settings, Clock.systemUTC(), registry),
        c -> {
          if (namespaces.isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(namespaces);
          }
        });
    operator.start();
    var starved = new AtomicReference<GcOverheadGuard>();
    HttpServer http = httpPort < 0 ? null : endpoints(operator, registry, starved, httpPort);
    LOG.info(
        "operator started namespaces={} leaderElection={} identity={} httpPort={}",
        namespaces.isEmpty() ? "all" : namespaces,
        leaseNamespace.orElse("off"),
        identity,
        http == null ? "none" : http.getAddress().getPort());
    return new OperatorRuntime(operator, http, registry, closing, starved);
  }

  /**
   * Reports {@code guard}: its share of time in GC as {@code cdds_operator_gc_overhead_ratio}, and
   * /healthz failing once it tripped.
   */
  public void watch(GcOverheadGuard guard) {
    starved.set(guard);
    Gauge.builder("cdds_operator_gc_overhead_ratio", guard, GcOverheadGuard::ratio)
        .description("Share of the last minute the operator's JVM spent collecting garbage")
        .register(registry);
  }

  private static HttpServer endpoints(
      Operator operator,
      PrometheusMeterRegistry registry,
      AtomicReference<GcOverheadGuard> starved,
      int port)
      throws IOException {
    var server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext(
        "/healthz",
        ex -> {
          boolean healthy = starved.get() == null || !starved.get().tripped();
          respond(
              ex,
              healthy ? 200 : 503,
              "text/plain",
              healthy ? "ok\n" : "starved of memory: collecting garbage most of the time\n");
        });
    server.createContext(
        "/readyz",
        ex -> {
          boolean ready =
              operator.getRuntimeInfo().isStarted()
                  && operator.getRuntimeInfo().allEventSourcesAreHealthy();
          respond(ex, ready ? 200 : 503, "text/plain", ready ? "ready\n" : "not ready\n");
        });
    server.start();
    return server;
  }

  private static void respond(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The port of the HTTP endpoint, or -1 without one. */
  public int httpPort() {
    return http == null ? -1 : http.getAddress().getPort();
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    closing.set(true);
    if (http != null) {
      http.stop(0);
    }
    operator.stop();
  }
}
