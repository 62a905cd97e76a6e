package dev.cdds.operator.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.DirectoryArchive;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.S3Archive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Retention against a real S3-compatible server and a directory, with the time given, not waited
 * for: exactly the runs older than the retention are deleted, whatever else is there stays.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionIT {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final String BUCKET = "retention";

  private S3Server s3Server;
  private S3Client s3;
  private Path work;
  private int jobs;

  @BeforeAll
  void start() throws Exception {
    Path base = WorkDirectory.path();
    s3Server = S3Server.start(base, "s3-retention");
    s3Server.createBucket(BUCKET);
    s3 = s3Server.client();
    work = Files.createTempDirectory(base, "retention-");
  }

  @AfterAll
  void stop() throws Exception {
    s3.close();
    s3Server.close();
  }

  @Test
  void exactlyTheRunsAtOrPastTheRetentionAreDeletedInADirectory() throws Exception {
    String job = "job" + (++jobs);
    try (var archive = new DirectoryArchive(work, "ns", job)) {
      checkBoundaries(archive, job, run -> {});
      assertThat(Files.exists(work.resolve("ns").resolve("job" + jobs).resolve("notes"))).isTrue();
    }
  }

  @Test
  void exactlyTheRunsAtOrPastTheRetentionAreDeletedInABucket() throws Exception {
    String job = "job" + (++jobs);
    try (var archive =
        new S3Archive(s3Server.client(), BUCKET, "site-a", "ns", job, 5 * 1024 * 1024)) {
      // An upload a killed attempt left open belongs to the run and goes with it.
      checkBoundaries(
          archive,
          job,
          expired ->
              s3.createMultipartUpload(
                  r ->
                      r.bucket(BUCKET)
                          .key("site-a/ns/" + job + "/" + expired + "/part-00001.jsonl")));

      assertThat(s3Server.openUploads(BUCKET, "site-a/ns/" + job + "/")).isZero();
      assertThat(s3Server.keys(BUCKET, "site-a/ns/" + job + "/notes/")).hasSize(1);
    }
  }

  @Test
  void aShortenedRetentionDeletesWhatIsNowTooOldAndAZeroRetentionNothing() throws Exception {
    try (var archive = new DirectoryArchive(work, "ns", "job" + (++jobs))) {
      String jobName = "job" + jobs;
      String tenDays = write(archive, run(jobName, NOW.minus(Duration.ofDays(10))), "a.jsonl");
      String oneHour = write(archive, run(jobName, NOW.minus(Duration.ofHours(1))), "a.jsonl");

      Retention.Result forever = Retention.apply(archive, 0, NOW, Set.of());
      assertThat(forever.deletedRuns()).isEmpty();
      assertThat(forever.deletedUpTo()).isEmpty();
      assertThat(forever.keptRuns()).isEqualTo(2);

      assertThat(Retention.apply(archive, 30, NOW, Set.of()).deletedRuns()).isEmpty();

      Retention.Result shortened = Retention.apply(archive, 7, NOW, Set.of());
      assertThat(shortened.deletedRuns()).containsExactly(tenDays);
      assertThat(shortened.oldestKept())
          .contains(NOW.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES));
      assertThat(archive.runIds()).containsExactly(oneHour);
    }
  }

  @Test
  void deletingAllRemovesEveryRunOfTheJobAndNothingOfAnother() throws Exception {
    try (var archive =
            new S3Archive(s3Server.client(), BUCKET, null, "ns", "doomed", 5 * 1024 * 1024);
        var neighbour =
            new S3Archive(s3Server.client(), BUCKET, null, "ns", "doomed-too", 5 * 1024 * 1024)) {
      write(archive, run("doomed", NOW.minus(Duration.ofDays(1))), "part-00000.csv");
      write(archive, run("doomed", NOW.plus(Duration.ofDays(1))), "part-00000.csv");
      String other = write(neighbour, run("doomed-too", NOW), "part-00000.csv");

      Retention.Result result = Retention.deleteAll(archive);

      assertThat(result.deletedRuns()).hasSize(2);
      assertThat(result.deletedFiles()).isEqualTo(4);
      assertThat(s3Server.keys(BUCKET, "ns/doomed/")).isEmpty();
      assertThat(neighbour.runIds()).containsExactly(other);
    }
  }

  @Test
  void deletingRunsOnRequestRemovesExactlyThoseInADirectoryAndABucket() throws Exception {
    try (var claim = new DirectoryArchive(work, "ns", "asked");
        var bucket =
            new S3Archive(s3Server.client(), BUCKET, "p", "ns", "asked", 5 * 1024 * 1024)) {
      for (ExportJobArchive archive : List.of(claim, bucket)) {
        String first = write(archive, run("asked", NOW.minus(Duration.ofDays(3))), "a.csv");
        String second = write(archive, run("asked", NOW.minus(Duration.ofDays(2))), "a.csv");
        String kept = write(archive, run("asked", NOW.minus(Duration.ofDays(1))), "a.csv");

        Retention.Result result =
            Retention.deleteRuns(archive, Set.of(first, second, run("asked", NOW)));

        assertThat(result.deletedRuns()).as(archive.location()).containsExactly(first, second);
        assertThat(result.deletedFiles()).isEqualTo(4);
        assertThat(archive.runIds()).containsExactly(kept);
        assertThat(result.keptRuns()).isEqualTo(1);
      }
    }
  }

  /**
   * Runs scheduled 31 days, exactly 30 days, and 30 days less a minute ago, and yesterday; one
   * incomplete; one run in use; and a folder that is not a run. 30 days deletes the first two, the
   * incomplete one and nothing else.
   */
  private void checkBoundaries(ExportJobArchive archive, String job, Consumer<String> withOldRun)
      throws IOException {
    String old = write(archive, run(job, NOW.minus(Duration.ofDays(31))), "part-00000.jsonl");
    withOldRun.accept(old);
    String boundary = write(archive, run(job, NOW.minus(Duration.ofDays(30))), "part-00000.jsonl");
    Instant justInside = NOW.minus(Duration.ofDays(30)).plus(Duration.ofMinutes(1));
    String inside = write(archive, run(job, justInside), "part-00000.jsonl");
    String recent = write(archive, run(job, NOW.minus(Duration.ofDays(1))), "part-00000.jsonl");
    String incomplete = run(job, NOW.minus(Duration.ofDays(40)));
    archive.run(incomplete).clear();
    write(archive.run(incomplete), "part-00000.jsonl");
    String inUse = write(archive, run(job, NOW.minus(Duration.ofDays(60))), "part-00000.jsonl");
    writeLoose(archive, "notes");

    Retention.Result result = Retention.apply(archive, 30, NOW, Set.of(inUse));

    assertThat(result.deletedRuns()).containsExactlyInAnyOrder(old, boundary, incomplete);
    assertThat(result.deletedFiles()).isEqualTo(5);
    assertThat(result.deletedUpTo()).contains(NOW.minus(Duration.ofDays(30)));
    assertThat(archive.runIds()).containsExactlyInAnyOrder(inside, recent, inUse, "notes");
    assertThat(result.oldestKept()).contains(RunIds.scheduledAt(inUse).orElseThrow());
    assertThat(result.keptRuns()).isEqualTo(3);
  }

  private static String run(String job, Instant scheduledAt) {
    return RunIds.of(job, scheduledAt);
  }

  /** A complete run: one part and a manifest. */
  private static String write(ExportJobArchive archive, String runId, String part)
      throws IOException {
    RunStore store = archive.run(runId);
    store.clear();
    write(store, part);
    write(store, Manifest.FILE);
    return runId;
  }

  private static void write(RunStore store, String name) throws IOException {
    try (var out = store.create(name)) {
      out.write(("{\"file\":\"" + name + "\"}\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void writeLoose(ExportJobArchive archive, String folder) throws IOException {
    archive.run(folder).clear();
    write(archive.run(folder), "README.txt");
  }
}
