package dev.cdds.operator.bench;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.ImageLaunchers;
import dev.cdds.localcluster.LoopbackControlPlane;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code hack/bench/runs.sh}: N one-time ExportJobs running at once, each pod reporting progress
 * through the exporter's real {@code ProgressReporter} ({@link ReportingExport}), the operator as
 * its own process. Over a window with every run in progress it measures the status writes reaching
 * the API server and the operator's CPU; then it ends the runs and checks each is recorded. Prints
 * {@code runs: runs=N status_writes_per_s=X per_run_per_5s=X operator_cpu_cores=X recorded=N}.
 */
public final class RunsBenchmark {
  private static final String NAMESPACE = BenchNamespace.NAME;

  private RunsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path binaries = Path.of(args[1]);
    Path jar = Path.of(args[2]).toAbsolutePath();
    int runs = Integer.parseInt(args[3]);
    Duration window = Duration.ofSeconds(Long.parseLong(args[4]));
    // Small JVMs: 200 of them share the machine with the control plane.
    var launchers =
        new ImageLaunchers()
            .asProcess(
                ControlPlane.OPERATOR_IMAGE,
                List.of(
                    "java",
                    "-Xmx24m",
                    "-Xss256k",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:CICompilerCount=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ReportingExport.class.getName()));
    try (var plane = LoopbackControlPlane.start(binaries, dir, launchers)) {
      var client = plane.client();
      BenchNamespace.prepare(client);
      Path claim =
          Files.createDirectories(plane.node().claimDirectory(NAMESPACE, OperatorUnderTest.CLAIM));
      try (var operator =
          BenchOperator.start(
              jar,
              "256m",
              NAMESPACE,
              ControlPlane.OPERATOR_IMAGE + ":bench",
              plane.kubeconfig(),
              dir.resolve("logs/operator.log"))) {
        Set<String> reporting = ConcurrentHashMap.newKeySet();
        Set<String> recorded = ConcurrentHashMap.newKeySet();
        var jobs = client.resources(ExportJob.class).inNamespace(NAMESPACE);
        try (var running =
                jobs.inform(
                    new Tracked<ExportJob>(
                        reporting,
                        j ->
                            j.getStatus() != null
                                && j.getStatus().currentRun != null
                                && j.getStatus().currentRun.recordsDone != null));
            var finished =
                jobs.inform(
                    new Tracked<ExportJob>(
                        recorded, j -> j.getStatus() != null && j.getStatus().history != null))) {
          for (int i = 0; i < runs; i++) {
            jobs.resource(ExportJobs.once("run-" + i)).create();
          }
          await(() -> reporting.size() >= runs, operator);

          Map<String, Double> before = ApiRequests.byKind(client);
          double cpuBefore = operator.cpuSeconds();
          long began = System.nanoTime();
          while (System.nanoTime() - began < window.toNanos()) {
            operator.sample();
            Thread.sleep(1000);
          }
          double seconds = (System.nanoTime() - began) / 1e9;
          Map<String, Double> during = ApiRequests.since(before, ApiRequests.byKind(client));
          double cpu = (operator.cpuSeconds() - cpuBefore) / seconds;
          double statusWrites =
              during.entrySet().stream()
                      .filter(e -> e.getKey().endsWith(":exportjobs/status"))
                      .mapToDouble(Map.Entry::getValue)
                      .sum()
                  / seconds;

          Files.writeString(claim.resolve("stop"), "");
          await(() -> recorded.size() >= runs, operator);
          System.out.printf(
              Locale.ROOT,
              "runs-detail: runs=%d window_s=%.0f requests_per_s=%s heap_mib=%d%n",
              runs,
              seconds,
              ApiRequests.per(during, (int) Math.max(1, Math.round(seconds))),
              operator.peakHeap() / (1 << 20));
          System.out.printf(
              Locale.ROOT,
              "runs: runs=%d status_writes_per_s=%.1f per_run_per_5s=%.2f operator_cpu_cores=%.2f"
                  + " recorded=%d%n",
              runs,
              statusWrites,
              statusWrites * 5 / runs,
              cpu,
              recorded.size());
        }
      }
    }
  }

  /** Samples the operator until {@code done}; the informers update what it looks at. */
  private static void await(java.util.function.BooleanSupplier done, BenchOperator operator)
      throws InterruptedException {
    while (!done.getAsBoolean()) {
      operator.sample();
      Thread.sleep(500);
    }
  }
}
