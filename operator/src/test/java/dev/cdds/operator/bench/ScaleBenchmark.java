package dev.cdds.operator.bench;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.ImageLaunchers;
import dev.cdds.localcluster.LoopbackControlPlane;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Weekday;
import dev.cdds.operator.testing.ExportJobs;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code hack/bench/scale.sh}: N ExportJobs applied at once to a real control plane, reconciled by
 * the operator running as its own process (the built jar). Measures the time until every job has
 * its CronJob and is Ready, the operator's peak heap (its /metrics) and peak RSS (VmHWM), the API
 * server's requests per job by kind, the live heap (after a full collection) and the writes to our
 * objects over a quiet period. Prints {@code scale-detail: …}, then last {@code scale: jobs=N
 * reconciled_s=X.X heap_mib=N rss_mib=N steady_writes_per_min=N}.
 */
public final class ScaleBenchmark {
  private static final String NAMESPACE = BenchNamespace.NAME;

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path binaries = Path.of(args[1]);
    Path jar = Path.of(args[2]).toAbsolutePath();
    int jobs = Integer.parseInt(args[3]);
    Duration quiet = Duration.ofSeconds(Long.parseLong(args[4]));
    String heapLimit = args[5];
    try (var plane = LoopbackControlPlane.start(binaries, dir, new ImageLaunchers())) {
      KubernetesClient client = plane.client();
      BenchNamespace.prepare(client);
      try (var operator =
          BenchOperator.start(
              jar,
              heapLimit,
              NAMESPACE,
              ControlPlane.OPERATOR_IMAGE + ":bench",
              plane.kubeconfig(),
              dir.resolve("logs/operator.log"))) {
        Map<String, Double> requestsBefore = ApiRequests.byKind(client);
        long began = System.nanoTime();
        create(client, jobs);
        waitUntilReady(client, jobs, operator);
        double reconciled = (System.nanoTime() - began) / 1e9;
        Map<String, Double> requests =
            ApiRequests.since(requestsBefore, ApiRequests.byKind(client));
        long writes = writesDuring(client, quiet, operator);
        double perMinute = writes * 60.0 / Math.max(1, quiet.toSeconds());
        System.out.printf(
            Locale.ROOT,
            "scale-detail: jobs=%d requests_per_job=%.1f live_heap_mib=%d heap_limit=%s"
                + " requests=%s%n",
            jobs,
            ApiRequests.total(requests) / jobs,
            operator.liveHeap() / (1 << 20),
            heapLimit,
            ApiRequests.per(requests, jobs));
        System.out.printf(
            Locale.ROOT,
            "scale: jobs=%d reconciled_s=%.1f heap_mib=%d rss_mib=%d steady_writes_per_min=%d%n",
            jobs,
            reconciled,
            operator.peakHeap() / (1 << 20),
            operator.peakRss() / (1 << 20),
            Math.round(perMinute));
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

  /**
   * Watches rather than lists: listing 5,000 ExportJobs twice a second loaded the API server more
   * than the operator did.
   */
  private static void waitUntilReady(KubernetesClient client, int jobs, BenchOperator sampler)
      throws InterruptedException {
    Set<String> ready = ConcurrentHashMap.newKeySet();
    Set<String> cronJobs = ConcurrentHashMap.newKeySet();
    try (var exportJobs =
            client
                .resources(ExportJob.class)
                .inNamespace(NAMESPACE)
                .inform(
                    new Tracked<ExportJob>(
                        ready,
                        j ->
                            ExportJobs.condition(j, "Ready")
                                .map(c -> "True".equals(c.status))
                                .orElse(false)));
        var cronJobInformer =
            client
                .batch()
                .v1()
                .cronjobs()
                .inNamespace(NAMESPACE)
                .inform(new Tracked<CronJob>(cronJobs, c -> true))) {
      while (ready.size() < jobs || cronJobs.size() < jobs) {
        sampler.sample();
        Thread.sleep(500);
      }
    }
  }

  /** Changes to every kind of object the operator writes, while nothing else changes. */
  private static long writesDuring(KubernetesClient client, Duration quiet, BenchOperator sampler)
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
}
