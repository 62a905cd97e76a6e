package dev.cdds.operator.testing;

import dev.cdds.operator.entrypoint.Main;
import dev.cdds.operator.exporter.progress.ProgressReporter;
import dev.cdds.operator.runcontract.RunSummary;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;

/**
 * A stand-in for the export pod in tests of the operator: it speaks the exporter's contract
 * (progress through {@link ProgressReporter} as the pod's own ServiceAccount, a {@link RunSummary}
 * as termination message, the exit code) without reading a database. The test steers it with files
 * in the job's output directory: {@code fail} makes the run fail, {@code hold} keeps it at 50%
 * until {@code release} appears. A run that succeeds leaves a part and a manifest where the real
 * exporter would. Prune pods, which the operator starts from the same image, run the real command.
 */
public final class FakeExport {
  /** An image name whose pods run this class. */
  public static final String IMAGE = "cdds-test/fake-export";

  static final long RECORDS = 42;

  private FakeExport() {}

  private static void awaitRelease(Path output, String runId) throws Exception {
    try (WatchService watcher = output.getFileSystem().newWatchService()) {
      output.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
      Files.writeString(output.resolve(runId).resolve("holding"), "");
      while (!Files.exists(output.resolve("release"))) {
        watcher.take().reset();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("prune")) {
      // The operator runs prune pods from its export image: those are the real thing.
      Main.main(args);
      return;
    }
    String runId = System.getenv("CDDS_RUN_ID");
    // A job whose files go to a bucket has no claim: its run succeeds, and leaves its files in a
    // directory of its own rather than the bucket.
    Path output =
        System.getenv("CDDS_OUTPUT_DIR") == null
            ? Files.createTempDirectory("fake-export-")
            : Path.of(System.getenv("CDDS_OUTPUT_DIR"));
    Path terminationLog = Path.of(System.getenv("CDDS_TERMINATION_LOG"));
    if (System.getenv("CDDS_SOURCE_PASSWORD") == null) {
      Files.writeString(terminationLog, RunSummary.failed("no source credentials").toJson());
      System.exit(2);
    }
    try (var client = new KubernetesClientBuilder().build()) {
      var progress =
          new ProgressReporter(
              client,
              System.getenv("CDDS_NAMESPACE"),
              System.getenv("CDDS_EXPORTJOB"),
              runId,
              Clock.systemUTC(),
              Duration.ZERO);
      Files.createDirectories(output.resolve(runId));
      progress.report(RECORDS / 2, RECORDS, 1000, 0);
      if (Files.exists(output.resolve("hold"))) {
        awaitRelease(output, runId);
      }
      if (Files.exists(output.resolve("fail"))) {
        Files.writeString(
            terminationLog, RunSummary.failed("the source database refused the query").toJson());
        System.exit(1);
      }
      progress.report(RECORDS, RECORDS, 2000, 1);
      // Where the real exporter writes, so that retention and data deletion find it.
      Path runFolder =
          Files.createDirectories(
              output
                  .resolve(System.getenv("CDDS_NAMESPACE"))
                  .resolve(System.getenv("CDDS_EXPORTJOB"))
                  .resolve(runId));
      Files.writeString(runFolder.resolve("part-00000.jsonl"), "{\"id\":1}\n");
      Files.writeString(runFolder.resolve("manifest.json"), "{}");
      String manifest = runFolder.resolve("manifest.json").toString();
      Files.writeString(
          terminationLog, RunSummary.succeeded(RECORDS, 2000, 1, manifest, null, null, 0).toJson());
    }
  }
}
