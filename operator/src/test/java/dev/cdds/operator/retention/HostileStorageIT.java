package dev.cdds.operator.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.DirectoryArchive;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.storage.S3Archive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Retention and data deletion against storage someone rearranged, on a real S3-compatible server
 * and a claim directory: whatever the prefix, a manifest or a symbolic link says, a pass deletes
 * only the job's own runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileStorageIT {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Instant EXPIRED = NOW.minus(Duration.ofDays(40));
  private static final String BUCKET = "hostile";
  private static final int PART_SIZE = 5 * 1024 * 1024;

  private S3Server s3Server;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    Path base = WorkDirectory.path();
    s3Server = S3Server.start(base, "s3-hostile");
    s3Server.createBucket(BUCKET);
    work = Files.createTempDirectory(base, "hostile-");
  }

  @AfterAll
  void stop() throws Exception {
    s3Server.close();
  }

  @Test
  void aPrefixEndingInADashDoesNotReachTheNamespaceItSpellsWithTheNamespace() throws Exception {
    try (var attacker = new S3Archive(s3Server.client(), BUCKET, "team-", "a", "j", PART_SIZE);
        var victim = new S3Archive(s3Server.client(), BUCKET, "", "team-a", "j", PART_SIZE)) {
      String victims = published(victim, "team-a", "j");

      assertThat(attacker.location()).isEqualTo("s3://" + BUCKET + "/team-/a/j/");
      assertThat(attacker.runIds()).isEmpty();
      Retention.Result result = Retention.deleteAll(attacker);

      assertThat(result.deletedRuns()).isEmpty();
      assertThat(victim.runIds()).containsExactly(victims);
      assertThat(s3Server.keys(BUCKET, "team-a/j/" + victims + "/")).hasSize(2);
    }
  }

  @Test
  void aRunWhoseManifestNamesAnotherJobIsLeftAloneAndSaidSo() throws Exception {
    try (var bucket = new S3Archive(s3Server.client(), BUCKET, "site", "ns", "mine", PART_SIZE);
        var claim = new DirectoryArchive(work, "ns", "mine")) {
      for (ExportJobArchive archive : List.of(bucket, claim)) {
        String foreign = published(archive, "other-ns", "theirs");
        String own = published(archive, "ns", "mine");

        Retention.Result result = Retention.apply(archive, 1, NOW, Set.of());

        assertThat(result.deletedRuns()).as(archive.location()).containsExactly(own);
        assertThat(archive.runIds()).containsExactly(foreign);
        assertThat(result.refused())
            .containsExactly(
                "run "
                    + foreign
                    + " in "
                    + archive.location()
                    + " was left alone: its manifest says it is other-ns/theirs's");
      }
    }
  }

  @Test
  void aJobFolderThatIsASymbolicLinkIsRefusedAndNothingBehindItIsDeleted() throws Exception {
    try (var victim = new DirectoryArchive(work, "victim-ns", "job");
        var attacker = new DirectoryArchive(work, "ns", "linked")) {
      String victims = published(victim, "victim-ns", "job");
      Files.createDirectories(work.resolve("ns"));
      Files.createSymbolicLink(work.resolve("ns/linked"), work.resolve("victim-ns/job"));

      assertThatThrownBy(() -> Retention.deleteAll(attacker))
          .isInstanceOf(IOException.class)
          .hasMessage(
              work.resolve("ns/linked")
                  + " is a symbolic link: refused, a job's folders on a claim must be real"
                  + " directories");
      assertThatThrownBy(() -> attacker.run(victims).completed())
          .hasMessageContaining("is a symbolic link");
      assertThat(victim.runIds()).containsExactly(victims);
      assertThat(work.resolve("victim-ns/job/" + victims + "/part-00000.jsonl")).exists();
    }
  }

  @Test
  void aRunFolderThatIsASymbolicLinkIsNotARunAndWhatItPointsToStays() throws Exception {
    try (var victim = new DirectoryArchive(work, "victim-ns", "runs");
        var attacker = new DirectoryArchive(work, "ns", "with-link")) {
      String victims = published(victim, "victim-ns", "runs");
      String own = published(attacker, "ns", "with-link");
      String planted = RunIds.of("with-link", EXPIRED.minus(Duration.ofDays(1)));
      Files.createSymbolicLink(
          work.resolve("ns/with-link/" + planted), work.resolve("victim-ns/runs/" + victims));

      Retention.Result result = Retention.deleteAll(attacker);

      assertThat(result.deletedRuns()).containsExactly(own);
      assertThat(work.resolve("victim-ns/runs/" + victims + "/part-00000.jsonl")).exists();
      assertThat(victim.runIds()).containsExactly(victims);
    }
  }

  /** An expired, complete run of {@code namespace/job}: a part and its manifest. */
  private static String published(ExportJobArchive archive, String namespace, String job)
      throws IOException {
    String runId = RunIds.of(job, EXPIRED);
    var store = archive.run(runId);
    store.clear();
    byte[] part = "{\"id\":1}\n".getBytes(StandardCharsets.UTF_8);
    try (var out = store.create("part-00000.jsonl")) {
      out.write(part);
    }
    store.publish(
        Manifest.of(new RunTarget(namespace, job, runId), EXPIRED.toString())
            .records(
                new Manifest.FileSet(
                    "Interaction",
                    null,
                    1,
                    part.length,
                    List.of(new PartFile("part-00000.jsonl", part.length, 1, "0".repeat(64)))))
            .completedAt(EXPIRED.toString()));
    return runId;
  }
}
