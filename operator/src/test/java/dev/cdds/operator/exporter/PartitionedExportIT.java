package dev.cdds.operator.exporter;

import static dev.cdds.operator.exporter.ExportFixture.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.SampleData;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.SharedSnapshot;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.exporter.progress.ProgressListener;
import dev.cdds.operator.exporter.source.PartitionBounds;
import dev.cdds.operator.exporter.source.Selection;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.schedule.ExportWindow;
import dev.cdds.operator.storage.DirectoryStore;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run read by several partitions in one snapshot, on a real PostgreSQL: what they export together
 * is exactly what one stream reads in that snapshot, whatever is written meanwhile; and the count
 * for progress never holds back the first record.
 */
class PartitionedExportIT {
  @RegisterExtension static final ExportFixture fixture = new ExportFixture();

  private static final int ROWS = 20_000;

  @Test
  void threePartitionsExportExactlyWhatOneStreamReadsInTheSameSnapshotDespiteAConcurrentWriter()
      throws Exception {
    String url = fixture.postgres().createDatabase("partitioned");
    try (var db = connect(url)) {
      SampleData.load(db, ROWS, 31);
    }
    var spec =
        ExportFixture.spec(
            SourceType.Interaction,
            OutputFormat.JSONL,
            Compression.GZIP,
            "1Mi",
            ExportFixture.all());
    var target =
        new RunTarget("ns", "partitioned", "partitioned-" + SCHEDULED.getEpochSecond() / 60);
    var store = new DirectoryStore(fixture.output(), target);
    var source = ExportFixture.source(url);

    // What the first partition shares; at that moment the test also takes the same snapshot on a
    // connection of its own, held for the single-stream reference below.
    var reference = connect(url);
    reference.setAutoCommit(false);
    reference.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    AtomicReference<String> referenceSnapshot = new AtomicReference<>();
    var exchange =
        new InMemoryExchange(
            shared -> {
              try (var statement = reference.createStatement()) {
                statement.execute("SET TRANSACTION SNAPSHOT '" + shared.id + "'");
                try (ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
                  rs.next();
                  referenceSnapshot.set(rs.getString(1));
                }
              }
            });

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong writesDuringTheRun = new AtomicLong();
    var writer =
        CompletableFuture.runAsync(() -> write(url, running, exchange, writesDuringTheRun));
    List<CompletableFuture<RunSummary>> partitions = new ArrayList<>();
    for (int index = 0; index < 3; index++) {
      var partition = new Partition(index, 3);
      partitions.add(
          CompletableFuture.supplyAsync(
              () ->
                  ExportFixture.firstRun(spec, target)
                      .partition(partition, exchange)
                      .execute(store, source)));
    }
    RunSummary run = partitions.get(0).get(3, TimeUnit.MINUTES);
    running.set(false);
    writer.get(1, TimeUnit.MINUTES);
    for (var partition : partitions) {
      assertThat(partition.get().error()).isNull();
    }

    // The reference: the whole window in one stream, in the snapshot the partitions read. (A
    // second partition of a run split at the beginning of time reads all of it.)
    var referenceTarget =
        new RunTarget("ns", "single", "single-" + SCHEDULED.getEpochSecond() / 60);
    var referenceStore = new DirectoryStore(fixture.output(), referenceTarget);
    var whole = new SharedSnapshot();
    whole.id = referenceSnapshot.get();
    whole.bounds = List.of("1970-01-01T00:00:00Z");
    RunSummary single =
        ExportFixture.firstRun(spec, referenceTarget)
            .partition(new Partition(1, 2), new InMemoryExchange(whole))
            .execute(referenceStore, source);
    reference.rollback();
    reference.close();
    assertThat(single.error()).isNull();

    Manifest manifest = fixture.manifest(run);
    Manifest expected =
        Manifest.parse(Files.readAllBytes(referenceStore.directory().resolve("partition-01.json")));
    assertThat(writesDuringTheRun.get()).as("rows written while the partitions read").isPositive();
    assertThat(manifest.records()).isEqualTo(expected.records()).isEqualTo(run.records());
    assertThat(manifest.attachments().records())
        .isEqualTo(expected.attachments().records())
        .isPositive();
    List<String> records = lines(store, manifest.files());
    List<String> expectedRecords = lines(referenceStore, expected.files());
    assertThat(ids(records)).doesNotHaveDuplicates().hasSameElementsAs(ids(expectedRecords));
    assertThat(sha256OfSorted(records)).isEqualTo(sha256OfSorted(expectedRecords));
    assertThat(sha256OfSorted(lines(store, manifest.attachments().files())))
        .isEqualTo(sha256OfSorted(lines(referenceStore, expected.attachments().files())));
    // In window order: every partition's parts after the one before's, and each read its range.
    assertThat(manifest.files().stream().map(PartFile::name).toList())
        .isSorted()
        .anyMatch(n -> n.startsWith("part-p00-"))
        .anyMatch(n -> n.startsWith("part-p01-"))
        .anyMatch(n -> n.startsWith("part-p02-"));
    assertThat(records).isEqualTo(inWindowOrder(records));
    try (var left = Files.list(store.directory())) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("the partitions' own results are gone once the manifest is published")
          .noneMatch(n -> n.startsWith("partition-"));
    }
  }

  @Test
  void aFirstPartitionThatFindsItsSnapshotAlreadySharedFailsTheWholeRun() {
    var spec =
        ExportFixture.spec(
            SourceType.Contact, OutputFormat.JSONL, Compression.NONE, null, ExportFixture.all());
    var target = new RunTarget("ns", "lost", "lost-" + SCHEDULED.getEpochSecond() / 60);
    var earlier = new SharedSnapshot();
    earlier.id = "00000003-00000002-1";
    earlier.bounds = List.of("2026-03-01T00:00:00Z");

    RunSummary summary =
        ExportFixture.firstRun(spec, target)
            .partition(new Partition(0, 2), new InMemoryExchange(earlier))
            .execute(
                new DirectoryStore(fixture.output(), target),
                ExportFixture.source(fixture.postgres().url()));

    assertThat(summary.endsRun()).isTrue();
    assertThat(summary.error()).contains("snapshot").contains("lost").contains("partition 0");
  }

  @Test
  void theFirstRecordsAreWrittenWhileTheCountStillRuns() throws Exception {
    try (var db = fixture.postgres().connect()) {
      // Counting is slow (10 ms a row, 50 s for 5,000 contacts), reading is not.
      db.createStatement()
          .execute(
              "CREATE OR REPLACE VIEW count_slowly_contacts AS SELECT * FROM contacts WHERE CASE"
                  + " WHEN current_setting('application_name') LIKE '% count'"
                  + " THEN pg_sleep(0.01) IS NOT NULL ELSE true END");
    }
    var spec =
        ExportFixture.spec(
            SourceType.Contact, OutputFormat.JSONL, Compression.NONE, null, ExportFixture.all());
    var target = new RunTarget("ns", "counted", "counted-" + SCHEDULED.getEpochSecond() / 60);
    List<Long> totals = new ArrayList<>();
    ProgressListener progress =
        (done, total, bytes, files) -> {
          totals.add(total);
          if (done == 1) {
            // Had the run waited for its count, the count would be over by now.
            await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                    () ->
                        assertThat(countsRunning())
                            .as("counts going when the first record is written")
                            .isEqualTo(1));
          }
        };
    var source =
        new SourceDatabase(
            fixture.postgres().url(),
            PostgresServer.USER,
            PostgresServer.PASSWORD,
            SourceNames.parse("contacts: {table: count_slowly_contacts}"));

    RunSummary summary =
        new ExportRun(
                spec,
                target,
                SCHEDULED,
                ExportFixture.window(spec, SCHEDULED),
                progress,
                Clock.systemUTC())
            .execute(new DirectoryStore(fixture.output(), target), source);

    assertThat(summary.error()).isNull();
    assertThat(summary.records()).isEqualTo(ExportFixture.ROWS / 4);
    assertThat(totals.get(0))
        .as("the planner's estimate, until the count is done")
        .isBetween(ExportFixture.ROWS / 4 / 2, ExportFixture.ROWS / 4 * 2);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(countsRunning()).as("the count was cancelled with the run").isZero());
  }

  private static long countsRunning() throws Exception {
    try (var db = fixture.postgres().connect();
        ResultSet rs =
            db.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
                        + " 'cdds-export counted-% count' AND state = 'active'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Inserts, updates (moving rows across the partitions' bounds) and deletes interactions and
   * attachments, each in its own transaction, until the run is over; counts what it wrote once the
   * snapshot was shared.
   */
  @Test
  void boundsOfAnAnalyzedWindowReadNoRowAndRowsAddedSinceAreCounted() throws Exception {
    String url = fixture.postgres().createDatabase("bounds");
    Instant lastAnalyzed;
    try (var db = connect(url)) {
      SampleData.load(db, ROWS, 5);
      db.createStatement().execute("ALTER TABLE interactions SET (autovacuum_enabled = false)");
      try (ResultSet rs =
          db.createStatement().executeQuery("SELECT max(id), max(started_at) FROM interactions")) {
        rs.next();
        lastAnalyzed = rs.getTimestamp(2).toInstant();
        // A twentieth as many rows again, after every other and since ANALYZE.
        db.createStatement()
            .execute(
                "INSERT INTO interactions SELECT id + "
                    + rs.getLong(1)
                    + ", contact_id, media_type, direction, status, subject, queue, agent_id,"
                    + " started_at + interval '200 days', ended_at, tenant_id, attributes"
                    + " FROM interactions WHERE id <= "
                    + ROWS / 20);
      }
    }
    var analyzed = new ExportWindow(Optional.empty(), Optional.of(lastAnalyzed));
    var added =
        new ExportWindow(Optional.of(lastAnalyzed.plus(Duration.ofDays(1))), Optional.empty());

    List<Instant> estimated;
    try (var lock = connect(url);
        var bounds = boundsConnection(url)) {
      lock.setAutoCommit(false);
      lock.createStatement().execute("LOCK TABLE interactions IN ACCESS EXCLUSIVE MODE");
      estimated = PartitionBounds.of(bounds, selection(analyzed), analyzed, 3);
      try (var counting = boundsConnection(url)) {
        assertThatThrownBy(() -> PartitionBounds.of(counting, selection(added), added, 3))
            .as("rows the statistics do not know are counted: counting waits for the lock")
            .hasMessageContaining("lock timeout");
      }
      lock.rollback();
    }
    assertThat(rowsPerRange(url, analyzed, estimated))
        .as("rows in each range split by the statistics")
        .allSatisfy(rows -> assertThat(rows).isBetween(ROWS / 3L * 8 / 10, ROWS / 3L * 12 / 10));

    List<Instant> counted;
    try (var bounds = boundsConnection(url)) {
      counted = PartitionBounds.of(bounds, selection(added), added, 3);
    }
    assertThat(rowsPerRange(url, added, counted))
        .as("rows in each range of a counted split")
        .allSatisfy(rows -> assertThat(rows).isBetween(ROWS / 20 / 3L - 2, ROWS / 20 / 3L + 2));
  }

  /** A connection as a first partition's: in a repeatable-read snapshot, times in UTC. */
  private static Connection boundsConnection(String url) throws Exception {
    var db = connect(url);
    db.setAutoCommit(false);
    db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    db.createStatement().execute("SET TIME ZONE 'UTC'");
    db.createStatement().execute("SET lock_timeout = '2s'");
    return db;
  }

  private static Selection selection(ExportWindow window) {
    return Selection.of(SourceTable.INTERACTIONS, SourceNames.DOCUMENTED, window, Optional.empty());
  }

  private static List<Long> rowsPerRange(String url, ExportWindow window, List<Instant> bounds)
      throws Exception {
    List<Long> rows = new ArrayList<>();
    try (var db = connect(url)) {
      for (int i = 0; i <= bounds.size(); i++) {
        var range =
            selection(window)
                .range(
                    i == 0 ? Optional.empty() : Optional.of(bounds.get(i - 1)),
                    i == bounds.size() ? Optional.empty() : Optional.of(bounds.get(i)));
        try (ResultSet rs =
            db.createStatement()
                .executeQuery("SELECT count(*) FROM (SELECT 1 " + range.fromInOrder() + ") r")) {
          rs.next();
          rows.add(rs.getLong(1));
        }
      }
    }
    return rows;
  }

  private static void write(
      String url, AtomicBoolean running, InMemoryExchange exchange, AtomicLong writes) {
    var random = new SplittableRandom(7);
    long nextId = 10_000_000;
    try (var db = connect(url)) {
      var insert =
          db.prepareStatement(
              "INSERT INTO interactions SELECT ?, contact_id, media_type, direction, status,"
                  + " subject || ' (copy)', queue, agent_id, started_at + interval '1 second',"
                  + " ended_at, tenant_id, attributes FROM interactions WHERE id = ?");
      var update =
          db.prepareStatement(
              "UPDATE interactions SET subject = 'edited', started_at = started_at + interval"
                  + " '20 days' WHERE id = ?");
      var delete =
          db.prepareStatement(
              "DELETE FROM interactions WHERE id = ? AND NOT EXISTS"
                  + " (SELECT 1 FROM attachments WHERE interaction_id = interactions.id)");
      var attach =
          db.prepareStatement(
              "INSERT INTO attachments SELECT ?, id, 'late.txt', 'text/plain', 4, 'late'::bytea"
                  + " FROM interactions WHERE id = ?");
      while (running.get()) {
        long id = 1 + random.nextLong(ROWS);
        var statement =
            switch (random.nextInt(4)) {
              case 0 -> insert;
              case 1 -> update;
              case 2 -> delete;
              default -> attach;
            };
        statement.clearParameters();
        if (statement == update || statement == delete) {
          statement.setLong(1, id);
        } else {
          statement.setLong(1, nextId++);
          statement.setLong(2, id);
        }
        statement.executeUpdate();
        if (exchange.sharedAlready()) {
          writes.incrementAndGet();
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection connect(String url) throws Exception {
    return DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
  }

  private static List<String> lines(DirectoryStore store, List<PartFile> files) throws Exception {
    List<String> lines = new ArrayList<>();
    for (PartFile file : files) {
      String text =
          ExportFixture.uncompressed(
              file.name(), Files.readAllBytes(store.directory().resolve(file.name())));
      text.lines().filter(l -> !l.isEmpty()).forEach(lines::add);
    }
    return lines;
  }

  private static List<Long> ids(List<String> records) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (String record : records) {
      ids.add(ExportFixture.JSON.readTree(record).get("id").asLong());
    }
    return ids;
  }

  private static List<String> inWindowOrder(List<String> records) throws Exception {
    List<String> sorted = new ArrayList<>(records);
    sorted.sort(
        java.util.Comparator.comparing((String r) -> startedAt(r)).thenComparing(r -> id(r)));
    return sorted;
  }

  private static java.time.Instant startedAt(String record) {
    try {
      return java.time.OffsetDateTime.parse(
              ExportFixture.JSON.readTree(record).get("started_at").asText())
          .toInstant();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long id(String record) {
    try {
      return ExportFixture.JSON.readTree(record).get("id").asLong();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256OfSorted(List<String> records) throws Exception {
    List<String> sorted = new ArrayList<>(records);
    sorted.sort(null);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (String record : sorted) {
      sha256.update(record.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) '\n');
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** The exchange of pods, between threads of this test. */
  private static final class InMemoryExchange implements SnapshotExchange {
    interface OnShare {
      void shared(SharedSnapshot snapshot) throws Exception;
    }

    private final AtomicReference<SharedSnapshot> shared = new AtomicReference<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final OnShare onShare;

    InMemoryExchange(OnShare onShare) {
      this.onShare = onShare;
    }

    /** An exchange where {@code snapshot} was shared already. */
    InMemoryExchange(SharedSnapshot snapshot) {
      this.onShare = s -> {};
      shared.set(snapshot);
      ready.countDown();
    }

    boolean sharedAlready() {
      return ready.getCount() == 0;
    }

    @Override
    public Optional<SharedSnapshot> shared() {
      return Optional.ofNullable(shared.get());
    }

    @Override
    public void share(SharedSnapshot snapshot) {
      try {
        onShare.shared(snapshot);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      shared.set(snapshot);
      ready.countDown();
    }

    @Override
    public SharedSnapshot await() throws InterruptedException {
      assertThat(ready.await(2, TimeUnit.MINUTES)).as("snapshot shared").isTrue();
      return shared.get();
    }
  }
}
