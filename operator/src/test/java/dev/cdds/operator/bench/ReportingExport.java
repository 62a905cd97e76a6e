package dev.cdds.operator.bench;

import dev.cdds.operator.exporter.progress.ProgressReporter;
import dev.cdds.operator.runcontract.RunSummary;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The export pod of {@code hack/bench/runs.sh}: no database, but the exporter's real progress
 * reporting, at its real interval, fed ten times a second, until the benchmark creates {@code stop}
 * in the claim; then a successful run summary.
 */
public final class ReportingExport {
  private static final long TOTAL = 1_000_000_000L;

  private ReportingExport() {}

  public static void main(String[] args) throws Exception {
    Path output = Path.of(System.getenv("CDDS_OUTPUT_DIR"));
    Path stop = output.resolve("stop");
    try (var client = new KubernetesClientBuilder().build()) {
      var progress =
          new ProgressReporter(
              client,
              System.getenv("CDDS_NAMESPACE"),
              System.getenv("CDDS_EXPORTJOB"),
              System.getenv("CDDS_RUN_ID"),
              Clock.systemUTC(),
              ProgressReporter.DEFAULT_INTERVAL);
      long done = 0;
      while (!Files.exists(stop)) {
        done += 10_000;
        progress.report(done, TOTAL, done * 100, 0);
        // The pace of a fast export's reports; a file watch each would pass inotify's limit of 128.
        Thread.sleep(100);
      }
      progress.report(done, done, done * 100, 1);
      Files.writeString(
          Path.of(System.getenv("CDDS_TERMINATION_LOG")),
          RunSummary.succeeded(done, done * 100, 1, "bench", null, null, 0).toJson());
    }
  }
}
