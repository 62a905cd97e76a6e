package dev.cdds.operator.bench;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Weekday;
import dev.cdds.operator.testing.ControlPlane;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.FreePorts;
import dev.cdds.operator.testing.ImageLaunchers;
import dev.cdds.operator.testing.LoopbackControlPlane;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code hack/bench/scale.sh}: N ExportJobs applied at once to a real control plane, reconciled by
 * the operator running as its own process (the built jar). Measures the time until every job has
 * its CronJob and is Ready, the operator's peak heap (its /metrics) and peak RSS (VmHWM), the API
 * server's requests per job, and the writes to our objects over a quiet period. Prints one line:
 * {@code scale: jobs=N reconciled_s=X.X heap_mib=N rss_mib=N steady_writes_per_min=N
 * requests_per_job=X.X}.
 */
public final class ScaleBenchmark {
  private static final String NAMESPACE = "bench";

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path binaries = Path.of(args[1]);
    Path jar = Path.of(args[2]).toAbsolutePath();
    int jobs = Integer.parseInt(args[3]);
    Duration quiet = Duration.ofSeconds(Long.parseLong(args[4]));
    try (var plane = LoopbackControlPlane.start(binaries, dir, new ImageLaunchers())) {
      KubernetesClient client = plane.client();
      client
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      ControlPlane.installCrds(client);
      OperatorUnderTest.prepareNamespace(client, NAMESPACE);
      int metricsPort = FreePorts.loopback();
      var launch =
          new ProcessBuilder(
                  "java",
                  "-Xmx512m",
                  "-jar",
                  jar.toString(),
                  "operator",
                  "--export-image=ghcr.io/cdds-dev/cdds-operator:bench",
                  "--namespaces=" + NAMESPACE,
                  "--no-leader-election",
                  "--default-claim=" + OperatorUnderTest.CLAIM,
                  "--http-port=" + metricsPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("logs/operator.log").toFile());
      launch.environment().put("KUBECONFIG", plane.kubeconfig().toString());
      launch.environment().remove("JAVA_TOOL_OPTIONS");
      Process operator = launch.start();
      var sampler = new Sampler(operator.pid(), metricsPort);
      try {
        double requestsBefore = apiRequests(client);
        long began = System.nanoTime();
        create(client, jobs);
        waitUntilReady(client, jobs, sampler);
        double reconciled = (System.nanoTime() - began) / 1e9;
        double requestsPerJob = (apiRequests(client) - requestsBefore) / jobs;
        long writes = writesDuring(client, quiet, sampler);
        double perMinute = writes * 60.0 / Math.max(1, quiet.toSeconds());
        System.out.printf(
            Locale.ROOT,
            "scale: jobs=%d reconciled_s=%.1f heap_mib=%d rss_mib=%d steady_writes_per_min=%d"
                + " requests_per_job=%.1f%n",
            jobs,
            reconciled,
            sampler.peakHeap / (1 << 20),
            sampler.peakRss() / 1024,
            Math.round(perMinute),
            requestsPerJob);
      } finally {
        operator.destroy();
        operator.waitFor();
      }
    }
  }

  /** Hourly, daily, weekly and monthly jobs, all due at least three hours from now. */
  private static void create(KubernetesClient client, int jobs) throws Exception {
    int hour = ZonedDateTime.now(ZoneOffset.UTC).plusHours(3).getHour();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> created = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      int n = i;
      created.add(
          pool.submit(
              () -> {
                var schedule = new Schedule();
                switch (n % 4) {
                  case 0 -> {
                    schedule.run = RunMode.Daily;
                    schedule.time = String.format("%02d:%02d", hour, n % 60);
                  }
                  case 1 -> {
                    schedule.run = RunMode.Weekly;
                    schedule.dayOfWeek = Weekday.values()[n % 7];
                    schedule.time = String.format("%02d:%02d", hour, n % 60);
                  }
                  case 2 -> {
                    schedule.run = RunMode.Monthly;
                    schedule.dayOfMonth = 1 + n % 28;
                    schedule.time = String.format("%02d:%02d", hour, n % 60);
                  }
                  default -> {
                    schedule.run = RunMode.Hourly;
                    schedule.everyHours = 12;
                    schedule.minute = n % 60;
                  }
                }
                client
                    .resources(ExportJob.class)
                    .inNamespace(NAMESPACE)
                    .resource(ExportJobs.job("job-" + n, schedule))
                    .create();
                return null;
              }));
    }
    for (Future<?> f : created) {
      f.get();
    }
    pool.shutdown();
  }

  private static void waitUntilReady(KubernetesClient client, int jobs, Sampler sampler)
      throws InterruptedException {
    while (true) {
      sampler.sample();
      long ready =
          client.resources(ExportJob.class).inNamespace(NAMESPACE).list().getItems().stream()
              .filter(
                  j ->
                      ExportJobs.condition(j, "Ready")
                          .map(c -> "True".equals(c.status))
                          .orElse(false))
              .count();
      long cronJobs =
          client.batch().v1().cronjobs().inNamespace(NAMESPACE).list().getItems().size();
      if (ready == jobs && cronJobs == jobs) {
        return;
      }
      Thread.sleep(500);
    }
  }

  /** Changes to every kind of object the operator writes, while nothing else changes. */
  private static long writesDuring(KubernetesClient client, Duration quiet, Sampler sampler)
      throws InterruptedException {
    var writes = new AtomicLong();
    List<Watch> watches = new ArrayList<>();
    String rv =
        client
            .resources(ExportJob.class)
            .inNamespace(NAMESPACE)
            .list()
            .getMetadata()
            .getResourceVersion();
    var options =
        new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withResourceVersion(rv).build();
    watches.add(
        client.resources(ExportJob.class).inNamespace(NAMESPACE).watch(options, counting(writes)));
    watches.add(client.batch().v1().cronjobs().inNamespace(NAMESPACE).watch(counting(writes)));
    watches.add(client.serviceAccounts().inNamespace(NAMESPACE).watch(counting(writes)));
    watches.add(client.rbac().roles().inNamespace(NAMESPACE).watch(counting(writes)));
    watches.add(client.rbac().roleBindings().inNamespace(NAMESPACE).watch(counting(writes)));
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      sampler.sample();
      Thread.sleep(1000);
    }
    watches.forEach(Watch::close);
    return writes.get();
  }

  /** Counts changes; the ADDED events a watch without a resourceVersion replays are not. */
  private static <T> Watcher<T> counting(AtomicLong writes) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.MODIFIED || action == Action.DELETED) {
          writes.incrementAndGet();
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  /** Sum of apiserver_request_total: every request the API server answered, from anyone. */
  private static double apiRequests(KubernetesClient client) {
    double total = 0;
    for (String line : client.raw(client.getMasterUrl() + "metrics").split("\n")) {
      if (line.startsWith("apiserver_request_total{")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** The operator's peak heap (its Prometheus endpoint) and peak RSS (the kernel's VmHWM). */
  private static final class Sampler {
    private final long pid;
    private final URI metrics;
    private final HttpClient http = HttpClient.newHttpClient();
    long peakHeap;

    Sampler(long pid, int port) {
      this.pid = pid;
      this.metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    void sample() {
      try {
        String body =
            http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        long heap = 0;
        for (String line : body.split("\n")) {
          if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
            heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          }
        }
        peakHeap = Math.max(peakHeap, heap);
      } catch (IOException e) {
        // Not up yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    long peakRss() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return 0;
    }
  }
}
