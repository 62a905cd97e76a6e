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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
      var launch =
          new Launch(
              jar,
              heapLimit,
              ControlPlane.OPERATOR_IMAGE + ":bench",
              plane.kubeconfig(),
              dir.resolve("logs"));
      double reconciled;
      Map<String, Double> requests;
      double perMinute;
      long liveHeap;
      long peakHeap;
      long peakRss;
      String mostWritten;
      String cpu;
      double reconciliationsPerJob;
      try (var operator = launch.start("operator.log", List.of())) {
        Map<String, Long> pids = new LinkedHashMap<>();
        List<Long> controlPlane = plane.pids();
        pids.put("etcd", controlPlane.get(0));
        pids.put("kube-apiserver", controlPlane.get(1));
        pids.put("kube-controller-manager", controlPlane.get(2));
        pids.put("operator", operator.pid());
        pids.put("benchmark", ProcessHandle.current().pid());
        Map<String, Double> requestsBefore = ApiRequests.byKind(client);
        ProcessCpu cpuBefore = ProcessCpu.of(pids);
        long began = System.nanoTime();
        create(client, jobs);
        waitUntilReady(client, jobs, operator);
        reconciled = (System.nanoTime() - began) / 1e9;
        cpu = ProcessCpu.of(pids).since(cpuBefore);
        reconciliationsPerJob = (double) operator.reconciliations() / jobs;
        requests = ApiRequests.since(requestsBefore, ApiRequests.byKind(client));
        long writes;
        try (var counter = WriteCounter.watching(client, NAMESPACE)) {
          sampleFor(quiet, operator);
          writes = counter.writes();
          mostWritten = counter.mostWritten();
        }
        perMinute = writes * 60.0 / Math.max(1, quiet.toSeconds());
        liveHeap = operator.liveHeap();
        peakHeap = operator.peakHeap();
        peakRss = operator.peakRss();
      }
      Restart restart = restart(client, jobs, launch, List.of());
      Restart streamed = restart(client, jobs, launch, List.of("--watch-list"));
      System.out.printf(
          Locale.ROOT,
          "scale-detail: jobs=%d requests_per_job=%.1f reconciliations_per_job=%.2f live_heap_mib=%d heap_limit=%s"
              + " restart_s=%.1f restart_heap_mib=%d restart_live_heap_mib=%d restart_writes=%d"
              + " watchlist_restart_s=%.1f watchlist_restart_heap_mib=%d"
              + " watchlist_restart_live_heap_mib=%d watchlist_restart_writes=%d"
              + " restart_requests=%s watchlist_restart_requests=%s"
              + " quiet_most_written=%s requests=%s cpu_s=%s%n",
          jobs,
          ApiRequests.total(requests) / jobs,
          reconciliationsPerJob,
          liveHeap / (1 << 20),
          heapLimit,
          restart.seconds(),
          restart.peakHeap() / (1 << 20),
          restart.liveHeap() / (1 << 20),
          restart.writes(),
          streamed.seconds(),
          streamed.peakHeap() / (1 << 20),
          streamed.liveHeap() / (1 << 20),
          streamed.writes(),
          restart.requests(),
          streamed.requests(),
          mostWritten.isEmpty() ? "none" : mostWritten,
          ApiRequests.per(requests, jobs),
          cpu);
      System.out.printf(
          Locale.ROOT,
          "scale: jobs=%d reconciled_s=%.1f heap_mib=%d rss_mib=%d steady_writes_per_min=%d%n",
          jobs,
          reconciled,
          peakHeap / (1 << 20),
          peakRss / (1 << 20),
          Math.round(perMinute));
    }
  }

  /** How this benchmark starts an operator: the built jar, with the heap limit given. */
  private record Launch(Path jar, String heapLimit, String image, Path kubeconfig, Path logs) {
    BenchOperator start(String log, List<String> arguments) throws IOException {
      return BenchOperator.start(
          jar, heapLimit, NAMESPACE, image, kubeconfig, logs.resolve(log), arguments);
    }
  }

  /** What a restart of the operator with every job already in place costs. */
  private record Restart(
      double seconds, long peakHeap, long liveHeap, long writes, String requests) {}

  /**
   * A new operator process over the jobs the first one reconciled: the time until it has reconciled
   * each of them once (its reconciliations counter), its peak and live heap, and what it wrote
   * meanwhile — nothing, when reconciliation is level-based. {@code arguments}: more operator
   * arguments ({@code --watch-list}).
   */
  private static Restart restart(
      KubernetesClient client, int jobs, Launch launch, List<String> arguments) throws Exception {
    try (var counter = WriteCounter.watching(client, NAMESPACE)) {
      Map<String, Double> requestsBefore = ApiRequests.byKind(client);
      long began = System.nanoTime();
      try (var operator =
          launch.start("restart" + String.join("", arguments) + ".log", arguments)) {
        while (operator.reconciliations() < jobs) {
          operator.sample();
          Thread.sleep(500);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        // Whatever a late reconciliation would still write, within a few seconds.
        sampleFor(Duration.ofSeconds(10), operator);
        Map<String, Double> requests =
            ApiRequests.since(requestsBefore, ApiRequests.byKind(client));
        return new Restart(
            seconds,
            operator.peakHeap(),
            operator.liveHeap(),
            counter.writes(),
            ApiRequests.per(requests, 1));
      }
    }
  }

  /**
   * Hourly, daily, weekly and monthly jobs, all due at least three hours from now: the hourly ones
   * run every 12 hours in a time zone where it is about 06:00 now.
   */
  private static void create(KubernetesClient client, int jobs) throws Exception {
    int hour = ZonedDateTime.now(ZoneOffset.UTC).plusHours(3).getHour();
    String sixInTheMorning = zoneAtSix(ZonedDateTime.now(ZoneOffset.UTC).getHour());
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
                    schedule.timeZone = sixInTheMorning;
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

  /** A time zone where the hour is 6 when it is {@code utcHour} in UTC ("Etc/GMT-5" is UTC+5). */
  static String zoneAtSix(int utcHour) {
    int offset = Math.floorMod(6 - utcHour + 12, 24) - 12;
    return offset == 0 ? "UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
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

  private static void sampleFor(Duration period, BenchOperator sampler)
      throws InterruptedException {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      sampler.sample();
      Thread.sleep(1000);
    }
  }
}
