package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A partitioned run on the real control plane: an Indexed Job of three export pods (the built jar,
 * each as the job's ServiceAccount) reading one PostgreSQL snapshot into a claim. One partition's
 * pod is killed after it wrote its records' files: only that partition runs again, and the run
 * publishes every record once.
 */
@ExtendWith(ControlPlaneExtension.class)
class PartitionedRunIT {
  private static final long ROWS = 30_000;
  private static final int HOLD = 4242;

  private final ControlPlane controlPlane;

  PartitionedRunIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void aKilledPartitionRunsAgainAloneAndTheRunHasEveryRecordOnce() throws Exception {
    Path work = WorkDirectory.path();
    try (var postgres = PostgresServer.start(work, "postgres-partitioned");
        Connection holder = postgres.connect()) {
      long interactions;
      long attachments;
      try (var db = postgres.connect()) {
        SampleData.load(db, ROWS, 41);
        interactions = count(db, "interactions");
        attachments = count(db, "attachments");
        // The last partition's reader (and no one else) stops at the last attachment of its
        // range while the test holds an advisory lock: by then it has written its records' files.
        db.createStatement()
            .execute(
                "ALTER TABLE attachments RENAME TO attachments_stored;"
                    + " CREATE FUNCTION hold() RETURNS boolean LANGUAGE sql VOLATILE AS"
                    + " 'SELECT pg_advisory_xact_lock_shared("
                    + HOLD
                    + "); SELECT true';"
                    + " CREATE VIEW attachments AS SELECT a.* FROM attachments_stored a WHERE CASE"
                    + " WHEN a.id = (SELECT s.id FROM attachments_stored s JOIN interactions i"
                    + " ON i.id = s.interaction_id ORDER BY i.started_at DESC, s.id DESC LIMIT 1)"
                    + " AND current_setting('application_name') LIKE '% p2' THEN hold()"
                    + " ELSE true END");
      }
      holder.createStatement().execute("SELECT pg_advisory_lock(" + HOLD + ")");

      controlPlane.installCrds();
      var client = controlPlane.client();
      String namespace = TestNamespaces.create(client, "partitioned");
      OperatorUnderTest.prepareNamespace(
          client, namespace, postgres.url(), PostgresServer.USER, PostgresServer.PASSWORD);
      var job = ExportJobs.once("split");
      job.getSpec().timeframe = new Timeframe();
      job.getSpec().timeframe.type = TimeframeType.All;
      job.getSpec().output = new Output();
      job.getSpec().output.format = OutputFormat.JSONL;
      job.getSpec().output.compression = Compression.GZIP;
      job.getSpec().output.parallelism = 3;
      Path claim = controlPlane.node().claimDirectory(namespace, OperatorUnderTest.CLAIM);

      try (var operator =
          OperatorUnderTest.start(
              client, namespace, "partitioned", OperatorUnderTest.realExporter(2))) {
        client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
        await("partition 2 waiting at its last attachment")
            .atMost(Duration.ofSeconds(150))
            .until(() -> holding(holder));

        // While partition 2 is held, the others are done and status adds them up.
        var progress =
            await("partitions 0 and 1 done in status")
                .atMost(Duration.ofSeconds(30))
                .until(
                    () -> currentRun(client, namespace),
                    run ->
                        run != null
                            && run.partitions != null
                            && done(run, "0")
                            && done(run, "1")
                            && run.recordsDone != null
                            && run.recordsDone
                                >= run.partitions.get("0").recordsDone
                                    + run.partitions.get("1").recordsDone);
        assertThat(progress.sharedSnapshot.bounds).hasSize(2);
        assertThat(progress.progress).isLessThan(100);
        String runId = progress.id;
        Path runDir = claim.resolve(namespace).resolve("split").resolve(runId);
        try (Stream<Path> files = Files.list(runDir)) {
          assertThat(files.map(p -> p.getFileName().toString()))
              .as("partition 2's records' files, written before it was held")
              .anyMatch(n -> n.startsWith("part-p02-"));
        }

        Pod held = podsOf(client, namespace, runId).get("2").get(0);
        controlPlane.node().kill(namespace, held.getMetadata().getName());
        holder.createStatement().execute("SELECT pg_advisory_unlock(" + HOLD + ")");

        RunRecord run =
            client
                .resources(ExportJob.class)
                .inNamespace(namespace)
                .withName("split")
                .waitUntilCondition(
                    j -> j.getStatus() != null && j.getStatus().history != null,
                    180,
                    TimeUnit.SECONDS)
                .getStatus()
                .history
                .get(0);
        assertThat(run.result).as(run.message).isEqualTo(RunResult.Succeeded);
        assertThat(run.records).isEqualTo(interactions);

        Map<String, List<Pod>> pods = podsOf(client, namespace, runId);
        assertThat(pods.get("0")).as("partition 0's pods").hasSize(1);
        assertThat(pods.get("1")).as("partition 1's pods").hasSize(1);
        assertThat(pods.get("2")).as("partition 2's pods").hasSize(2);
        Job indexed = client.batch().v1().jobs().inNamespace(namespace).withName(runId).get();
        assertThat(indexed.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(indexed.getStatus().getFailed()).isEqualTo(1);

        Manifest manifest = Manifest.parse(Files.readAllBytes(runDir.resolve(Manifest.FILE)));
        assertThat(manifest.records()).isEqualTo(interactions);
        assertThat(manifest.attachments().records()).isEqualTo(attachments);
        List<String> kept = new ArrayList<>();
        manifest.allFiles().forEach(f -> kept.add(f.name()));
        kept.add(Manifest.FILE);
        try (Stream<Path> files = Files.list(runDir)) {
          assertThat(files.map(p -> p.getFileName().toString()))
              .as("nothing left of the killed attempt, nor of the partitions' own results")
              .containsExactlyInAnyOrderElementsOf(kept);
        }
        List<Long> ids = new ArrayList<>();
        for (PartFile file : manifest.files()) {
          String text =
              ExportFixture.uncompressed(
                  file.name(), Files.readAllBytes(runDir.resolve(file.name())));
          for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
              ids.add(ExportFixture.JSON.readTree(line).get("id").asLong());
            }
          }
        }
        assertThat(ids).hasSize((int) interactions).doesNotHaveDuplicates();
      }
    }
  }

  private static boolean done(CurrentRun run, String partition) {
    var p = run.partitions.get(partition);
    return p != null
        && p.recordsDone != null
        && p.recordsDone > 0
        && p.recordsDone.equals(p.recordsTotal);
  }

  private static CurrentRun currentRun(KubernetesClient client, String namespace) {
    var job = client.resources(ExportJob.class).inNamespace(namespace).withName("split").get();
    return job.getStatus() == null ? null : job.getStatus().currentRun;
  }

  /** The pods of the run's Indexed Job by partition index, oldest first. */
  private static Map<String, List<Pod>> podsOf(
      KubernetesClient client, String namespace, String runId) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("job-name", runId)
        .list()
        .getItems()
        .stream()
        .sorted(java.util.Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()))
        .collect(
            Collectors.groupingBy(
                p -> p.getMetadata().getLabels().get("batch.kubernetes.io/job-completion-index"),
                TreeMap::new,
                Collectors.toList()));
  }

  /** Whether partition 2's reader waits for the test's lock. */
  private static boolean holding(Connection db) throws Exception {
    try (ResultSet rs =
        db.createStatement()
            .executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
                    + " 'cdds-export % p2' AND wait_event_type = 'Lock'"
                    + " AND wait_event = 'advisory'")) {
      rs.next();
      return rs.getLong(1) == 1;
    }
  }

  private static long count(Connection db, String table) throws Exception {
    try (ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
