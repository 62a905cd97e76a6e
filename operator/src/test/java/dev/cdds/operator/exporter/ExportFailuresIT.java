package dev.cdds.operator.exporter;

import static dev.cdds.operator.exporter.ExportFixture.BUCKET;
import static dev.cdds.operator.exporter.ExportFixture.ROWS;
import static dev.cdds.operator.exporter.ExportFixture.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.exporter.ExportFixture.Destination;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.storage.DirectoryStore;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Failures of the destination, the database or the pod during a run: clear, nothing half-published,
 * and the rerun completes.
 */
// Alone: it restarts the PostgreSQL and stops the S3 server the exporter's tests share.
@Isolated
class ExportFailuresIT {
  @RegisterExtension static final ExportFixture fixture = new ExportFixture();

  @Test
  void s3OutageDuringUploadFailsClearlyPublishesNothingAndTheRerunCompletes() throws Exception {
    var spec =
        fixture.spec(
            SourceType.Interaction, OutputFormat.JSONL, Compression.NONE, null, fixture.all());
    var target = new RunTarget("ns", "s3-outage", "s3-outage-" + SCHEDULED.getEpochSecond() / 60);

    RunSummary failed;
    RunStore store = fixture.store(Destination.S3, target);
    try {
      failed =
          new ExportRun(
                  spec,
                  target,
                  SCHEDULED,
                  ExportFixture.window(spec, SCHEDULED),
                  fixture.atHalfway(fixture.s3Server()::stop),
                  Clock.systemUTC())
              .execute(store, fixture.source(fixture.postgres().url()));
    } finally {
      fixture.s3Server().start();
    }

    assertThat(failed.result()).isEqualTo("Failed");
    assertThat(failed.error())
        .startsWith("destination s3://" + BUCKET + "/" + target.folder() + ": ")
        .contains("127.0.0.1");
    assertThat(fixture.s3Server().keys(BUCKET, target.folder()))
        .doesNotContain(target.folder() + "manifest.json");

    RunSummary rerun =
        ExportFixture.firstRun(spec, target)
            .execute(store, fixture.source(fixture.postgres().url()));

    Manifest manifest = fixture.manifest(rerun);
    assertThat(manifest.records()).isEqualTo(ROWS);
    assertThat(fixture.exportedIds(manifest, OutputFormat.JSONL)).hasSize((int) ROWS);
    List<String> expectedKeys = new ArrayList<>();
    manifest.files().forEach(f -> expectedKeys.add(target.folder() + f.name()));
    manifest.attachments().files().forEach(f -> expectedKeys.add(target.folder() + f.name()));
    expectedKeys.add(target.folder() + Manifest.FILE);
    assertThat(fixture.s3Server().keys(BUCKET, target.folder()))
        .containsExactlyInAnyOrderElementsOf(expectedKeys);
    assertThat(fixture.s3Server().openUploads(BUCKET, target.folder())).isZero();
  }

  @Test
  void aFileAbandonedMidUploadIsAbortedOnTheServerAndLeavesNoObject() throws Exception {
    var target = new RunTarget("ns", "abandoned", "abandoned-" + SCHEDULED.getEpochSecond() / 60);
    RunStore store = fixture.store(Destination.S3, target);
    byte[] sixMiB = new byte[6 * 1024 * 1024];
    java.util.Arrays.fill(sixMiB, (byte) 'x');

    var output = store.create("part-00000.jsonl");
    output.write(sixMiB);
    assertThat(fixture.s3Server().openUploads(BUCKET, target.folder()))
        .as("a part is up: the multipart upload is open on the server")
        .isEqualTo(1);
    output.abort();

    assertThat(fixture.s3Server().openUploads(BUCKET, target.folder())).isZero();
    assertThat(fixture.s3Server().keys(BUCKET, target.folder())).isEmpty();
  }

  /** The ids of every record in the run's files, each once: a duplicate fails the test. */
  @Test
  void runKilledHalfwayIsRedoneCleanlyAndACompleteRunIsNeverRewritten() throws Exception {
    var spec =
        fixture.spec(
            SourceType.Interaction, OutputFormat.CSV, Compression.GZIP, "1Mi", fixture.all());
    String runId = "crash-" + SCHEDULED.getEpochSecond() / 60;
    var target = new RunTarget("ns", "crash", runId);
    var store = new DirectoryStore(fixture.output(), target);
    var dying =
        new ExportRun(
            spec,
            target,
            SCHEDULED,
            ExportFixture.window(spec, SCHEDULED),
            fixture.atHalfway(
                () -> {
                  throw new IllegalStateException("killed at 50%");
                }),
            Clock.systemUTC());
    try {
      dying.execute(store, fixture.source(fixture.postgres().url()));
    } catch (IllegalStateException expected) {
      // What a process killed outright leaves: a part nobody finished.
      Files.writeString(store.directory().resolve("part-00009.csv.gz"), "half a part");
    }
    assertThat(store.directory().resolve(Manifest.FILE)).doesNotExist();

    List<Long> progress = new ArrayList<>();
    var retry =
        new ExportRun(
            spec,
            target,
            SCHEDULED,
            ExportFixture.window(spec, SCHEDULED),
            (done, total, bytes, files) -> progress.add(done),
            Clock.systemUTC());
    RunSummary summary = retry.execute(store, fixture.source(fixture.postgres().url()));

    assertThat(summary.records()).isEqualTo(ROWS);
    List<List<String>> rows =
        Csv.parse(
            String.join("", fixture.rawFiles(fixture.manifest(summary)))
                .replaceAll("(?m)^id,contact_id.*\\r\\n", ""));
    assertThat(rows.stream().map(r -> r.get(0)).distinct().count()).isEqualTo(ROWS);
    assertThat(progress)
        .isSorted()
        .last()
        .isEqualTo(ROWS + fixture.manifest(summary).attachments().records());
    assertThat(store.directory().resolve("part-00009.csv.gz")).doesNotExist();

    var manifestTime = Files.getLastModifiedTime(store.directory().resolve(Manifest.FILE));
    RunSummary again =
        new ExportRun(
                spec,
                target,
                SCHEDULED,
                ExportFixture.window(spec, SCHEDULED),
                (done, total, bytes, files) -> {
                  throw new AssertionError("a complete run must not be redone");
                },
                Clock.systemUTC())
            .execute(store, fixture.source(fixture.postgres().url()));
    assertThat(again).isEqualTo(summary);
    assertThat(Files.getLastModifiedTime(store.directory().resolve(Manifest.FILE)))
        .isEqualTo(manifestTime);
  }

  @Test
  void databaseGoingAwayMidRunFailsClearlyAndPublishesNothing() throws Exception {
    var spec =
        fixture.spec(
            SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, fixture.all());
    var target = new RunTarget("ns", "db-restart", "db-restart-" + SCHEDULED.getEpochSecond() / 60);
    var store = new DirectoryStore(fixture.output(), target);
    var run =
        new ExportRun(
            spec,
            target,
            SCHEDULED,
            ExportFixture.window(spec, SCHEDULED),
            fixture.atHalfway(fixture.postgres()::restart),
            Clock.systemUTC());

    RunSummary summary = run.execute(store, fixture.source(fixture.postgres().url()));

    assertThat(summary.result()).isEqualTo("Failed");
    assertThat(summary.error()).startsWith("source database: ");
    assertThat(store.directory().resolve(Manifest.FILE)).doesNotExist();
  }

  @Test
  void aDatabaseThatAcceptsTheConnectionAndNeverAnswersFailsTheAttemptInsteadOfHanging()
      throws Exception {
    var spec =
        fixture.spec(
            SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, fixture.all());
    var target = new RunTarget("ns", "silent", "silent-" + SCHEDULED.getEpochSecond() / 60);
    var store = new DirectoryStore(fixture.output(), target);
    // The kernel completes the handshake of a listening socket; nothing ever reads or answers.
    try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url =
          "jdbc:postgresql://127.0.0.1:"
              + silent.getLocalPort()
              + "/cdds?socketTimeout=2&loginTimeout=2";
      long started = System.nanoTime();

      RunSummary summary =
          ExportFixture.firstRun(spec, target).execute(store, ExportFixture.source(url));

      assertThat(summary.result()).isEqualTo("Failed");
      assertThat(summary.error()).startsWith("source database: ");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("failed by the url's timeouts (2 s), long before the default ones")
          .isLessThan(Duration.ofSeconds(25));
      assertThat(store.directory().resolve(Manifest.FILE)).doesNotExist();
    }
  }
}
