package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdInputStream;
import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.BadRecordAction;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.Destination;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputEncryption;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.PvcDestination;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.api.SecretReference;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.plugin.InProcessPlugin;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import dev.cdds.operator.testing.S3Destinations;
import dev.cdds.operator.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole chain: an ExportJob, the operator's Job, the export pod running the built jar as its
 * own ServiceAccount, a real PostgreSQL, files on the claim or in a real S3-compatible server, and
 * the run in history.
 */
@Order(3)
@ExtendWith(ControlPlaneExtension.class)
class EndToEndExportIT {
  private final ControlPlane controlPlane;

  EndToEndExportIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void oneTimeEncryptedExportWritesExactlyTheSelectedRowsAndRecordsTheRun() throws Exception {
    Path work = WorkDirectory.path();
    try (var postgres = PostgresServer.start(work, "postgres-e2e")) {
      Map<Long, JsonNode> selected = new LinkedHashMap<>();
      try (var db = postgres.connect()) {
        SampleData.load(db, 5_000, 11);
        SourceRows.asJson(
                db,
                "interactions",
                "media_type IN ('chat', 'email') AND started_at >= '2026-02-01T00:00:00Z'"
                    + " AND started_at < '2026-04-01T00:00:00Z'")
            .forEach((id, row) -> selected.put(id, SourceRows.normalized(row)));
      }
      long expected = selected.size();
      controlPlane.installCrds();
      var client = controlPlane.client();
      String namespace = TestNamespaces.create(client, "e2e");
      OperatorUnderTest.prepareNamespace(
          client, namespace, postgres.url(), PostgresServer.USER, PostgresServer.PASSWORD);
      var job = ExportJobs.once("backfill");
      job.getSpec().source.mediaTypes = List.of("chat", "email");
      job.getSpec().timeframe = new Timeframe();
      job.getSpec().timeframe.type = TimeframeType.FixedInterval;
      job.getSpec().timeframe.start = "2026-02-01T00:00:00Z";
      job.getSpec().timeframe.end = "2026-04-01T00:00:00Z";
      var recipient = TestCertificates.rsa(work.resolve("e2e-keys"), "e2e-recipient");
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("recipient")
                  .endMetadata()
                  .withStringData(Map.of("tls.crt", recipient.certificatePem()))
                  .build())
          .inNamespace(namespace)
          .create();
      job.getSpec().output = new Output();
      job.getSpec().output.encryption = new OutputEncryption();
      job.getSpec().output.encryption.certificateSecretRef = new SecretReference("recipient");

      // A run of this job 40 days old, past the default retention of 30 days.
      Path jobDir =
          controlPlane
              .node()
              .claimDirectory(namespace, OperatorUnderTest.CLAIM)
              .resolve(namespace)
              .resolve("backfill");
      Path expired =
          Files.createDirectories(
              jobDir.resolve(RunIds.of("backfill", Instant.now().minus(Duration.ofDays(40)))));
      Files.writeString(expired.resolve("part-00000.jsonl.gz.p7m"), "old");
      Files.writeString(expired.resolve(Manifest.FILE), "{}");

      try (var operator =
          OperatorUnderTest.start(client, namespace, "e2e", OperatorUnderTest.realExporter())) {
        RunRecord run = runToTheEnd(client, namespace, job);
        assertThat(run.result).as(run.message).isEqualTo(RunResult.Succeeded);
        assertThat(run.records).isEqualTo(expected).isPositive();
        assertThat(run.windowStart).isEqualTo("2026-02-01T00:00:00Z");
        Path runDir =
            controlPlane
                .node()
                .claimDirectory(namespace, OperatorUnderTest.CLAIM)
                .resolve(namespace)
                .resolve("backfill")
                .resolve(run.id);
        Manifest manifest = Manifest.parse(Files.readAllBytes(runDir.resolve(Manifest.FILE)));
        assertThat(manifest.records()).isEqualTo(expected);
        assertThat(manifest.files()).allSatisfy(f -> assertThat(runDir.resolve(f.name())).exists());
        assertThat(manifest.encryption().recipient()).isEqualTo("CN=e2e-recipient,O=cdds test");
        List<String> lines = new ArrayList<>();
        for (PartFile file : manifest.files()) {
          assertThat(file.name()).endsWith(".jsonl.gz.p7m");
          Path plain = work.resolve("e2e-keys").resolve(file.name() + ".plain.gz");
          var openssl = recipient.opensslDecrypt(runDir.resolve(file.name()), plain);
          assertThat(openssl.exitCode()).as(openssl.stderr()).isZero();
          try (var in = new GZIPInputStream(Files.newInputStream(plain))) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
          }
        }
        // Exactly the selected rows, field by field, as PostgreSQL renders them.
        assertThat(lines).hasSize(selected.size());
        assertThat(SourceRows.byId(lines)).isEqualTo(selected);

        // After its run, the export pod deleted the expired run and said what is kept.
        assertThat(expired).doesNotExist();
        try (var left = Files.list(jobDir)) {
          assertThat(left).containsExactly(runDir);
        }
        var retention =
            client
                .resources(ExportJob.class)
                .inNamespace(namespace)
                .withName("backfill")
                .get()
                .getStatus()
                .retention;
        assertThat(retention.keptRuns).isEqualTo(1);
        assertThat(retention.oldestKeptRun).isEqualTo(run.scheduledAt);
        assertThat(retention.error).isNull();
        assertThat(
                Files.readString(
                    controlPlane
                        .node()
                        .logOf(namespace, podName(client, namespace, run.id), "export")))
            .doesNotContain(PostgresServer.PASSWORD);
      }
    }
  }

  @Test
  void oneTimeExportToS3UploadsThePartsAndTheManifestWithCredentialsFromASecret() throws Exception {
    Path work = WorkDirectory.path();
    try (var postgres = PostgresServer.start(work, "postgres-e2e-s3");
        var s3 = S3Server.start(work, "s3-e2e")) {
      long expected;
      try (var db = postgres.connect()) {
        SampleData.load(db, 3_000, 12);
        expected = rows(db, "contacts");
      }
      controlPlane.installCrds();
      var client = controlPlane.client();
      String namespace = TestNamespaces.create(client, "e2e-s3");
      OperatorUnderTest.prepareNamespace(
          client, namespace, postgres.url(), PostgresServer.USER, PostgresServer.PASSWORD);
      client.resource(S3Server.credentialsSecret("export-bucket")).inNamespace(namespace).create();
      var job = ExportJobs.once("contacts-to-s3");
      job.getSpec().source.type = SourceType.Contact;
      job.getSpec().timeframe = new Timeframe();
      job.getSpec().timeframe.type = TimeframeType.All;
      job.getSpec().output = new Output();
      job.getSpec().output.format = OutputFormat.CSV;
      // zstd in a real export pod: its native library loads with a read-only root filesystem.
      job.getSpec().output.compression = Compression.ZSTD;
      job.getSpec().output.destination = new Destination();
      job.getSpec().output.destination.s3 =
          S3Destinations.of(s3, "exports", "cdds/", "export-bucket");

      try (var operator =
          OperatorUnderTest.start(client, namespace, "e2e-s3", OperatorUnderTest.realExporter())) {
        RunRecord run = runToTheEnd(client, namespace, job);
        assertThat(run.result).as(run.message).isEqualTo(RunResult.Succeeded);
        assertThat(run.records).isEqualTo(expected).isPositive();
        String folder = "cdds/" + namespace + "/contacts-to-s3/" + run.id + "/";
        assertThat(run.manifest).isEqualTo("s3://exports/" + folder + Manifest.FILE);
        Manifest manifest = Manifest.parse(s3.read("exports", folder + Manifest.FILE));
        assertThat(manifest.records()).isEqualTo(expected);
        assertThat(manifest.compression()).isEqualTo("zstd");
        assertThat(s3.keys("exports", folder))
            .containsExactlyInAnyOrder(folder + "part-00000.csv.zst", folder + Manifest.FILE);
        byte[] part = s3.read("exports", folder + "part-00000.csv.zst");
        try (var csv = new ZstdInputStream(new ByteArrayInputStream(part))) {
          assertThat(new String(csv.readAllBytes(), StandardCharsets.UTF_8))
              .startsWith("id,")
              .hasLineCount((int) expected + 1);
        }
        assertThat(
                Files.readString(
                    controlPlane
                        .node()
                        .logOf(namespace, podName(client, namespace, run.id), "export")))
            .doesNotContain(S3Server.SECRET_ACCESS_KEY)
            .doesNotContain(PostgresServer.PASSWORD);
      }
    }
  }

  /**
   * A 300 MB attachment, larger than maxRecordSize, in export pods under the default memory limit
   * of the tests' operator (256Mi): rejected by its id from its length alone, never read, so Skip
   * exports the rest and Fail names it, instead of every attempt running out of memory.
   */
  @Test
  void aHugeAttachmentIsRejectedByIdWithoutBeingReadIntoMemory() throws Exception {
    long huge = 300L << 20;
    try (var postgres = PostgresServer.start(WorkDirectory.path(), "postgres-e2e-huge")) {
      long attachments;
      try (var db = postgres.connect()) {
        SampleData.load(db, 2_000, 14);
        db.createStatement()
            .execute(
                "INSERT INTO attachments (id, interaction_id, file_name, mime_type, size, content)"
                    + " SELECT 999999, min(id), 'recording.wav', 'audio/wav', "
                    + huge
                    + ", convert_to(repeat('a', "
                    + huge
                    + "), 'UTF8') FROM interactions");
        attachments = rows(db, "attachments");
      }
      controlPlane.installCrds();
      var client = controlPlane.client();
      String namespace = TestNamespaces.create(client, "e2e-huge");
      OperatorUnderTest.prepareNamespace(
          client, namespace, postgres.url(), PostgresServer.USER, PostgresServer.PASSWORD);
      try (var operator =
          OperatorUnderTest.start(
              client, namespace, "e2e-huge", OperatorUnderTest.realExporter())) {
        var skipping = ExportJobs.once("skipping");
        skipping.getSpec().timeframe = new Timeframe();
        skipping.getSpec().timeframe.type = TimeframeType.All;
        skipping.getSpec().output = new Output();
        skipping.getSpec().output.onBadRecord = BadRecordAction.Skip;
        RunRecord skipped = runToTheEnd(client, namespace, skipping);
        var failing = ExportJobs.once("failing");
        failing.getSpec().timeframe = new Timeframe();
        failing.getSpec().timeframe.type = TimeframeType.All;
        RunRecord failed = runToTheEnd(client, namespace, failing);

        assertThat(skipped.result).as(skipped.message).isEqualTo(RunResult.Succeeded);
        assertThat(skipped.skippedRecords).isEqualTo(1);
        Path runDir =
            controlPlane
                .node()
                .claimDirectory(namespace, OperatorUnderTest.CLAIM)
                .resolve(namespace + "/skipping/" + skipped.id);
        Manifest manifest = Manifest.parse(Files.readAllBytes(runDir.resolve(Manifest.FILE)));
        assertThat(manifest.attachments().records()).isEqualTo(attachments - 1);
        assertThat(manifest.skipped())
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.recordType()).isEqualTo("attachment");
                  assertThat(r.id()).isEqualTo(999999);
                });
        assertThat(failed.result).isEqualTo(RunResult.Failed);
        assertThat(failed.message)
            .isEqualTo(
                "bad record: attachment 999999: content of "
                    + huge
                    + " bytes is larger than spec.output.maxRecordSize once base64-encoded; fix"
                    + " the row, or set spec.output.onBadRecord to Skip to leave such records out");
      }
    }
  }

  private static long rows(java.sql.Connection db, String table) throws java.sql.SQLException {
    try (var rs = db.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Creates the job and waits for its first run to be in history. */
  @Test
  void aRealExportReportsItsProgressAndARealFailureItsMessage() throws Exception {
    try (var postgres = PostgresServer.start(WorkDirectory.path(), "postgres-e2e-progress")) {
      try (var db = postgres.connect()) {
        SampleData.load(db, 20_000, 13);
      }
      controlPlane.installCrds();
      var client = controlPlane.client();
      String namespace = TestNamespaces.create(client, "e2e-progress");
      // The libpq form, as CloudNativePG's uri key has it: taken, and its user info never shown.
      String libpqUrl =
          "postgresql://"
              + PostgresServer.USER
              + ":"
              + PostgresServer.PASSWORD
              + "@"
              + postgres.url().substring("jdbc:postgresql://".length());
      OperatorUnderTest.prepareNamespace(
          client, namespace, libpqUrl, PostgresServer.USER, PostgresServer.PASSWORD);
      String leaked = "Leak-Me-7f3e";
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("unsupported-url")
                  .endMetadata()
                  .withStringData(
                      Map.of(
                          "url",
                          "mysql://app:" + leaked + "@127.0.0.1/cdds",
                          "user",
                          "app",
                          "password",
                          leaked))
                  .build())
          .inNamespace(namespace)
          .create();
      String wrongPassword = "not-the-password-4711";
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("wrong-password")
                  .endMetadata()
                  .withStringData(
                      Map.of(
                          "url",
                          postgres.url(),
                          "user",
                          PostgresServer.USER,
                          "password",
                          wrongPassword))
                  .build())
          .inNamespace(namespace)
          .create();
      // Every status the export pod writes, as a watch sees it.
      List<CurrentRun> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
      var jobs = client.resources(ExportJob.class).inNamespace(namespace);
      try (var operator =
              OperatorUnderTest.start(client, namespace, "e2e", OperatorUnderTest.realExporter());
          var watch =
              jobs.watch(
                  new io.fabric8.kubernetes.client.Watcher<ExportJob>() {
                    @Override
                    public void eventReceived(Action action, ExportJob job) {
                      if (job.getStatus() != null && job.getStatus().currentRun != null) {
                        progress.add(job.getStatus().currentRun);
                      }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                  })) {
        var ok = ExportJobs.once("everything");
        ok.getSpec().source.includeAttachments = false;
        ok.getSpec().output = new Output();
        ok.getSpec().output.destination = new Destination();
        ok.getSpec().output.destination.pvc = new PvcDestination();
        ok.getSpec().output.destination.pvc.claimName = OperatorUnderTest.CLAIM;
        ok.getSpec().output.destination.pvc.path = "/exports/site-a";
        RunRecord done = runToTheEnd(client, namespace, ok);
        var failing = ExportJobs.once("refused");
        failing.getSpec().source.secretRef = new SecretReference("wrong-password");
        RunRecord failed = runToTheEnd(client, namespace, failing);
        var leaky = ExportJobs.once("leaky");
        leaky.getSpec().source.secretRef = new SecretReference("unsupported-url");
        RunRecord leakyRun = runToTheEnd(client, namespace, leaky);

        assertThat(done.result).as(done.message).isEqualTo(RunResult.Succeeded);
        assertThat(progress)
            .as("the pod's progress reports, up to the last record")
            .anySatisfy(
                p -> {
                  assertThat(p.id).isEqualTo(done.id);
                  assertThat(p.progress).isEqualTo(100);
                  assertThat(p.recordsDone).isEqualTo(done.records);
                })
            .anySatisfy(p -> assertThat(p.recordsTotal).isEqualTo(20_000L));
        assertThat(failed.result).isEqualTo(RunResult.Failed);
        assertThat(failed.message)
            .startsWith("source database: ")
            .contains("password authentication failed")
            .doesNotContain(wrongPassword);
        assertThat(OperatorUnderTest.eventReasons(client, namespace, "refused"))
            .contains("RunFailed");

        // spec.output.destination.pvc.path: the run is under it, where the plugin finds it.
        Path claim = controlPlane.node().claimDirectory(namespace, OperatorUnderTest.CLAIM);
        Path runDir = claim.resolve("exports/site-a/" + namespace + "/everything/" + done.id);
        assertThat(done.manifest)
            .endsWith(
                "/exports/site-a/" + namespace + "/everything/" + done.id + "/" + Manifest.FILE);
        assertThat(runDir.resolve(Manifest.FILE)).exists();
        assertThat(claim.resolve(namespace + "/everything")).doesNotExist();
        var files =
            new InProcessPlugin(controlPlane.kubeconfig(), namespace)
                .run("files", "everything", "--claim-dir", claim.toString());
        assertThat(files.exit()).as(files.err()).isZero();
        assertThat(files.out()).contains(done.id + "   part-00000.jsonl.gz");

        // A password in the url the driver echoes is in no status, Event, termination
        // message or log line.
        assertThat(leakyRun.result).isEqualTo(RunResult.Failed);
        assertThat(leakyRun.message)
            .isEqualTo(
                "source database: No suitable driver found for mysql://app:***@127.0.0.1/cdds");
        var leakyPods =
            client
                .pods()
                .inNamespace(namespace)
                .withLabel("job-name", leakyRun.id)
                .list()
                .getItems();
        assertThat(leakyPods).isNotEmpty();
        for (var pod : leakyPods) {
          assertThat(pod.getStatus().getContainerStatuses())
              .allSatisfy(
                  c ->
                      assertThat(c.getState().getTerminated().getMessage())
                          .contains("***")
                          .doesNotContain(leaked));
          assertThat(
                  Files.readString(
                      controlPlane.node().logOf(namespace, pod.getMetadata().getName(), "export")))
              .contains("mysql://app:***@")
              .doesNotContain(leaked);
        }
        assertThat(client.v1().events().inNamespace(namespace).list().getItems())
            .filteredOn(e -> "leaky".equals(e.getInvolvedObject().getName()))
            .extracting(e -> e.getMessage())
            .anySatisfy(m -> assertThat(m).contains("mysql://app:***@"))
            .allSatisfy(m -> assertThat(m).doesNotContain(leaked));
        assertThat(Serialization.asJson(jobs.withName("leaky").get())).doesNotContain(leaked);
      }
    }
  }

  private static RunRecord runToTheEnd(KubernetesClient client, String namespace, ExportJob job) {
    client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
    return client
        .resources(ExportJob.class)
        .inNamespace(namespace)
        .withName(job.getMetadata().getName())
        .waitUntilCondition(
            j -> j.getStatus() != null && j.getStatus().history != null, 180, TimeUnit.SECONDS)
        .getStatus()
        .history
        .get(0);
  }

  private static String podName(KubernetesClient client, String namespace, String runId) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("job-name", runId)
        .list()
        .getItems()
        .get(0)
        .getMetadata()
        .getName();
  }
}
