package dev.cdds.operator.bench;

import dev.cdds.localcluster.FreePorts;
import dev.cdds.localcluster.OperatorProcess;
import dev.cdds.operator.testing.OperatorUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The operator as the benchmarks run it: the built jar in a process of its own, with a given heap
 * limit, watching one namespace, and what can be measured of it from outside: heap (its /metrics),
 * live heap (after a full collection asked with jcmd), peak RSS (VmHWM) and CPU time.
 */
final class BenchOperator implements AutoCloseable {
  private final OperatorProcess process;
  private final URI metrics;
  private final HttpClient http = HttpClient.newHttpClient();
  private long peakHeap;

  private BenchOperator(OperatorProcess process, int metricsPort) {
    this.process = process;
    this.metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
  }

  static BenchOperator start(
      Path jar, String heapLimit, String namespace, String exportImage, Path kubeconfig, Path log)
      throws IOException {
    return start(jar, heapLimit, namespace, exportImage, kubeconfig, log, List.of());
  }

  static BenchOperator start(
      Path jar,
      String heapLimit,
      String namespace,
      String exportImage,
      Path kubeconfig,
      Path log,
      List<String> moreArguments)
      throws IOException {
    int metricsPort = FreePorts.loopback();
    var arguments =
        new ArrayList<>(
            List.of(
                "--export-image=" + exportImage,
                "--namespaces=" + namespace,
                "--no-leader-election",
                "--default-claim=" + OperatorUnderTest.CLAIM,
                "--http-port=" + metricsPort));
    arguments.addAll(moreArguments);
    var operator =
        OperatorProcess.start(jar, List.of("-Xmx" + heapLimit), arguments, kubeconfig, log);
    return new BenchOperator(operator, metricsPort);
  }

  /** Notes the heap in use now, for {@link #peakHeap()}. */
  void sample() {
    peakHeap = Math.max(peakHeap, heap());
  }

  long peakHeap() {
    return peakHeap;
  }

  /** Heap in use right after a full collection: the live set. */
  long liveHeap() throws IOException, InterruptedException {
    Process gc =
        new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.run")
            .redirectErrorStream(true)
            .start();
    String out = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (gc.waitFor() != 0) {
      throw new IOException("jcmd " + process.pid() + " GC.run: " + out);
    }
    return heap();
  }

  long peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }

  long pid() {
    return process.pid();
  }

  /** User and system CPU time so far, in seconds. */
  double cpuSeconds() {
    return ProcessCpu.used(pid()).toMillis() / 1000.0;
  }

  /**
   * Reconciliations the operator finished (java-operator-sdk's success counter, all controllers); 0
   * while it is not up yet.
   */
  long reconciliations() {
    return sum(line -> line.startsWith("operator_sdk_reconciliations_success_total"));
  }

  /** Heap in use now, from the operator's /metrics; 0 while it is not up yet. */
  private long heap() {
    return sum(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""));
  }

  /**
   * The sum of the /metrics samples on the lines chosen. Asked up to three times: a connection kept
   * alive through a quiet period may have been closed by the other end.
   */
  private long sum(Predicate<String> lines) {
    for (int attempt = 1; attempt < 3; attempt++) {
      long sum = sumOnce(lines);
      if (sum > 0) {
        return sum;
      }
    }
    return sumOnce(lines);
  }

  private long sumOnce(Predicate<String> lines) {
    try {
      String body =
          http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      long sum = 0;
      for (String line : body.split("\n")) {
        if (lines.test(line)) {
          sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
