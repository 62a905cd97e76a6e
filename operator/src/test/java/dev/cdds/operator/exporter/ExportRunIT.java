package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.SampleData;
import dev.cdds.operator.api.BadRecordAction;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Source;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.exporter.progress.ProgressListener;
import dev.cdds.operator.exporter.source.BadRecords;
import dev.cdds.operator.exporter.source.RecordCount;
import dev.cdds.operator.exporter.source.Selection;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.schedule.ExportWindow;
import dev.cdds.operator.storage.DirectoryStore;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.storage.S3Store;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;

/** Exports from a real PostgreSQL to a directory or a real S3-compatible server, and reads back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long ROWS = 20_000;
  private static final Instant SCHEDULED = Instant.parse("2026-07-01T00:00:00Z");
  private static final int S3_PART_SIZE = 5 * 1024 * 1024;

  private static final String BUCKET = "exports";

  private PostgresServer postgres;
  private S3Server s3Server;
  private S3Client s3;
  private Path output;
  private int runs;

  /** Where each run's files are (a directory, or s3://bucket/folder/), by run id. */
  private final Map<String, String> runFolders = new HashMap<>();

  private enum Destination {
    DIRECTORY,
    S3
  }

  @BeforeAll
  void startDatabase() throws Exception {
    Path work = Path.of(System.getProperty("cdds.testWorkDir", "target/it")).toAbsolutePath();
    postgres = PostgresServer.start(work, "postgres-export");
    s3Server = S3Server.start(work, "s3-export");
    s3Server.createBucket(BUCKET);
    s3 = s3Server.client();
    try (var db = postgres.connect()) {
      SampleData.load(db, ROWS, 7);
    }
    output = work.resolve("export-output");
    if (Files.exists(output)) {
      try (var paths = Files.walk(output)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    Files.createDirectories(output);
  }

  @AfterAll
  void stopDatabase() throws Exception {
    s3.close();
    s3Server.close();
    postgres.close();
  }

  @Test
  void jsonlGzipRecordsAreExactlyTheSourceRows() throws Exception {
    var spec = spec(SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, all());

    RunSummary summary = run(spec, (done, total, bytes, files) -> {});

    assertThat(summary.error()).isNull();
    assertThat(summary.records()).isEqualTo(ROWS);
    Map<Long, JsonNode> exported = new LinkedHashMap<>();
    for (String line : lines(manifest(summary))) {
      JsonNode record = JSON.readTree(line);
      exported.put(record.get("id").asLong(), record);
    }
    Map<Long, JsonNode> source = rowsAsJson("interactions", "true");
    assertThat(exported.keySet()).containsExactlyInAnyOrderElementsOf(source.keySet());
    for (var row : source.entrySet()) {
      assertThat(normalized(exported.get(row.getKey())))
          .as("interaction %d", row.getKey())
          .isEqualTo(normalized(row.getValue()));
    }
  }

  @Test
  void everyRecordTypeMatchesThePublishedSchemaTheManifestNames() throws Exception {
    var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    for (SourceType type : SourceType.values()) {
      var spec = spec(type, OutputFormat.JSONL, Compression.GZIP, null, all());

      Manifest manifest = manifest(run(spec, (done, total, bytes, files) -> {}));

      String file = manifest.recordSchema().substring(manifest.recordSchema().lastIndexOf('/') + 1);
      Path published = Path.of("..", "docs", "schemas", file);
      assertThat(published).exists();
      JsonSchema schema;
      try (InputStream in = Files.newInputStream(published)) {
        schema = factory.getSchema(in);
      }
      List<String> lines = lines(manifest);
      assertThat(lines).isNotEmpty();
      for (String line : lines) {
        assertThat(schema.validate(JSON.readTree(line))).as("%s record %s", type, line).isEmpty();
      }
    }
  }

  @Test
  void csvRecordsAreExactlyTheSourceRows() throws Exception {
    var spec = spec(SourceType.Contact, OutputFormat.CSV, Compression.NONE, null, all());

    RunSummary summary = run(spec, (done, total, bytes, files) -> {});

    List<List<String>> rows = Csv.parse(String.join("", rawFiles(manifest(summary))));
    List<String> header = rows.get(0);
    assertThat(header).containsExactlyElementsOf(SourceTable.CONTACTS.columns());
    Map<Long, JsonNode> source = rowsAsJson("contacts", "true");
    assertThat(rows).hasSize(source.size() + 1);
    for (List<String> row : rows.subList(1, rows.size())) {
      JsonNode expected = source.get(Long.parseLong(row.get(0)));
      for (int i = 0; i < header.size(); i++) {
        JsonNode value = expected.get(header.get(i));
        String text =
            value.isNull()
                ? null
                : value.isTextual() ? value.asText() : JSON.writeValueAsString(value);
        if (header.get(i).endsWith("_at")) {
          assertThat(Instant.parse(row.get(i))).isEqualTo(instant(value.asText()));
        } else if (value.isContainerNode()) {
          assertThat(JSON.readTree(row.get(i))).isEqualTo(value);
        } else {
          assertThat(row.get(i)).as("%s of contact %s", header.get(i), row.get(0)).isEqualTo(text);
        }
      }
    }
  }

  @Test
  void partsStayWithinTheSplitSizeAndAddUp() throws Exception {
    // Smaller than the API's 1Mi minimum, so that 20,000 rows give several gzip parts too.
    long limit = 256 * 1024;
    for (Compression compression : Compression.values()) {
      var spec = spec(SourceType.Interaction, OutputFormat.JSONL, compression, "256Ki", all());

      Manifest manifest = manifest(run(spec, (done, total, bytes, files) -> {}));

      assertThat(manifest.files()).as(compression.name()).hasSizeGreaterThan(1);
      assertThat(manifest.files())
          .allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(limit));
      // Parts are filled, not cut early: all but the last hold at least 3/4 of the limit.
      assertThat(manifest.files().subList(0, manifest.files().size() - 1))
          .allSatisfy(f -> assertThat(f.bytes()).isGreaterThan(limit * 3 / 4));
      assertThat(manifest.files().stream().mapToLong(PartFile::records).sum()).isEqualTo(ROWS);
      for (PartFile file : manifest.files()) {
        byte[] content = stored(manifest, file);
        assertThat(content.length).isEqualTo(file.bytes());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
            .isEqualTo(file.sha256());
      }
      assertThat(lines(manifest)).hasSize((int) ROWS);
    }
  }

  @Test
  void everyFormatCompressionAndDestinationGivesBackExactlyTheSourceRows() throws Exception {
    Map<Long, JsonNode> source = rowsAsJson("interactions", "true");
    for (Destination destination : Destination.values()) {
      for (OutputFormat format : OutputFormat.values()) {
        for (Compression compression : Compression.values()) {
          String what = destination + " " + format + " " + compression;
          // Uncompressed in one file: over the S3 part size, so it goes up in several parts.
          String split = compression == Compression.GZIP ? "256Ki" : null;
          var spec = spec(SourceType.Interaction, format, compression, split, all());

          RunSummary summary = run(spec, SCHEDULED, (done, total, bytes, files) -> {}, destination);

          Manifest manifest = manifest(summary);
          assertThat(manifest.records()).as(what).isEqualTo(ROWS);
          assertThat(manifest.files().stream().mapToLong(PartFile::records).sum()).isEqualTo(ROWS);
          for (PartFile file : manifest.files()) {
            byte[] content = stored(manifest, file);
            assertThat(content.length).as(what).isEqualTo(file.bytes());
            assertThat(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
                .isEqualTo(file.sha256());
          }
          assertThat(exportedIds(manifest, format))
              .as(what)
              .containsExactlyInAnyOrderElementsOf(source.keySet());
        }
      }
    }
    assertThat(s3Server.openUploads(BUCKET, "ns/")).isZero();
  }

  @Test
  void s3OutageDuringUploadFailsClearlyPublishesNothingAndTheRerunCompletes() throws Exception {
    var spec = spec(SourceType.Interaction, OutputFormat.JSONL, Compression.NONE, null, all());
    var target = new RunTarget("ns", "s3-outage", "s3-outage-" + SCHEDULED.getEpochSecond() / 60);

    RunSummary failed;
    RunStore store = store(Destination.S3, target);
    try {
      failed =
          new ExportRun(spec, target, SCHEDULED, atHalfway(s3Server::stop), Clock.systemUTC())
              .execute(store, source(postgres.url()));
    } finally {
      s3Server.start();
    }

    assertThat(failed.result()).isEqualTo("Failed");
    assertThat(failed.error())
        .startsWith("destination s3://" + BUCKET + "/" + target.folder() + ": ")
        .contains("127.0.0.1");
    assertThat(s3Server.keys(BUCKET, target.folder()))
        .doesNotContain(target.folder() + "manifest.json");

    RunSummary rerun =
        new ExportRun(spec, target, SCHEDULED, (d, t, b, f) -> {}, Clock.systemUTC())
            .execute(store, source(postgres.url()));

    Manifest manifest = manifest(rerun);
    assertThat(manifest.records()).isEqualTo(ROWS);
    assertThat(exportedIds(manifest, OutputFormat.JSONL)).hasSize((int) ROWS);
    List<String> expectedKeys = new ArrayList<>();
    manifest.files().forEach(f -> expectedKeys.add(target.folder() + f.name()));
    manifest.attachments().files().forEach(f -> expectedKeys.add(target.folder() + f.name()));
    expectedKeys.add(target.folder() + Manifest.FILE);
    assertThat(s3Server.keys(BUCKET, target.folder()))
        .containsExactlyInAnyOrderElementsOf(expectedKeys);
    assertThat(s3Server.openUploads(BUCKET, target.folder())).isZero();
  }

  @Test
  void attachmentsOfTheExportedInteractionsGoToTheirOwnFilesBase64AndComplete() throws Exception {
    var timeframe = new Timeframe();
    timeframe.type = TimeframeType.FixedInterval;
    timeframe.start = "2026-02-01T00:00:00Z";
    timeframe.end = "2026-04-01T00:00:00Z";
    String interactions =
        "started_at >= '2026-02-01T00:00:00Z' AND started_at < '2026-04-01T00:00:00Z'";
    Map<Long, String> expected = new HashMap<>();
    try (var db = postgres.connect();
        var rs =
            db.createStatement()
                .executeQuery(
                    "SELECT a.id, encode(sha256(a.content), 'hex') FROM attachments a JOIN"
                        + " interactions i ON i.id = a.interaction_id WHERE "
                        + interactions.replace("started_at", "i.started_at"))) {
      while (rs.next()) {
        expected.put(rs.getLong(1), rs.getString(2));
      }
    }
    assertThat(expected).isNotEmpty();
    var schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(
                Files.readString(Path.of("..", "docs", "schemas", "attachment.schema.json")));
    for (OutputFormat format : OutputFormat.values()) {
      var spec = spec(SourceType.Interaction, format, Compression.GZIP, "1Mi", timeframe);

      Manifest manifest = manifest(run(spec, (done, total, bytes, files) -> {}));

      Manifest.FileSet attachments = manifest.attachments();
      assertThat(attachments.recordType()).isEqualTo("attachment");
      assertThat(attachments.records()).isEqualTo(expected.size());
      assertThat(attachments.files())
          .allSatisfy(f -> assertThat(f.name()).startsWith("attachments-"))
          .allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(1024 * 1024));
      assertThat(manifest.files()).allSatisfy(f -> assertThat(f.name()).startsWith("part-"));
      var interactionIds = new java.util.HashSet<>(exportedIds(manifest, format));
      Map<Long, String> exported = new HashMap<>();
      for (PartFile file : attachments.files()) {
        String content = decompressed(stored(manifest, file));
        List<Map<String, String>> records = new ArrayList<>();
        if (format == OutputFormat.JSONL) {
          for (String line : content.lines().toList()) {
            JsonNode record = JSON.readTree(line);
            assertThat(schema.validate(record)).as(line).isEmpty();
            records.add(
                Map.of(
                    "id", record.get("id").asText(),
                    "interaction_id", record.get("interaction_id").asText(),
                    "content", record.get("content").asText()));
          }
        } else {
          List<List<String>> rows = Csv.parse(content);
          assertThat(rows.get(0)).containsExactlyElementsOf(SourceTable.ATTACHMENTS.columns());
          for (List<String> row : rows.subList(1, rows.size())) {
            records.add(
                Map.of("id", row.get(0), "interaction_id", row.get(1), "content", row.get(5)));
          }
        }
        for (Map<String, String> record : records) {
          assertThat(interactionIds).contains(Long.parseLong(record.get("interaction_id")));
          byte[] bytes = java.util.Base64.getDecoder().decode(record.get("content"));
          exported.put(
              Long.parseLong(record.get("id")),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
      }
      assertThat(exported).as(format.name()).isEqualTo(expected);
    }

    var without =
        spec(SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, timeframe);
    without.source.includeAttachments = false;
    assertThat(manifest(run(without, (d, t, b, f) -> {})).attachments()).isNull();
  }

  @Test
  void aRecordOverTheSizeLimitFailsTheRunByIdOrIsSkippedAndListed() throws Exception {
    List<Long> large = new ArrayList<>();
    try (var db = postgres.connect();
        var rs =
            db.createStatement()
                .executeQuery(
                    "SELECT id FROM interactions WHERE attributes ? 'transcript' ORDER BY id")) {
      while (rs.next()) {
        large.add(rs.getLong(1));
      }
    }
    assertThat(large).isNotEmpty();
    for (OutputFormat format : OutputFormat.values()) {
      var spec = spec(SourceType.Interaction, format, Compression.GZIP, null, all());
      spec.source.includeAttachments = false;
      spec.output.maxRecordSize = new Quantity("4Ki");

      RunSummary failed = run(spec, (d, t, b, f) -> {});

      assertThat(failed.result()).isEqualTo("Failed");
      assertThat(failed.error())
          .matches("bad record: interaction \\d+: record of \\d+ bytes is larger than .*")
          .contains("onBadRecord");
      assertThat(large).contains(Long.parseLong(failed.error().split(" ")[3].replace(":", "")));

      spec.output.onBadRecord = BadRecordAction.Skip;
      RunSummary skipped = run(spec, (d, t, b, f) -> {});

      Manifest manifest = manifest(skipped);
      assertThat(skipped.skippedRecords()).isEqualTo(large.size());
      assertThat(manifest.skippedRecords()).isEqualTo(large.size());
      assertThat(manifest.skipped())
          .hasSize(Math.min(BadRecords.LISTED, large.size()))
          .extracting(Manifest.SkippedRecord::id)
          .doesNotHaveDuplicates()
          .isSubsetOf(large);
      assertThat(manifest.records()).isEqualTo(ROWS - large.size());
      assertThat(exportedIds(manifest, format)).doesNotContainAnyElementsOf(large);
    }
  }

  @Test
  void textThatIsNotUtf8FailsTheRunByIdOrIsSkippedInEitherFormat() throws Exception {
    String url = postgres.createSqlAsciiDatabase("legacy");
    try (var db = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
      SampleData.load(db, 200, 5);
      db.createStatement()
          .execute("UPDATE interactions SET subject = E'caf\\xe9 au lait' WHERE id = 42");
    }
    for (OutputFormat format : OutputFormat.values()) {
      var spec = spec(SourceType.Interaction, format, Compression.GZIP, null, all());
      spec.source.includeAttachments = false;

      RunSummary failed = run(spec, SCHEDULED, (d, t, b, f) -> {}, Destination.DIRECTORY, url);

      assertThat(failed.error()).as(format.name()).startsWith("bad record: interaction 42: ");
      try (var files = Files.walk(output.resolve("ns").resolve("job" + runs))) {
        assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain(Manifest.FILE);
      }

      spec.output.onBadRecord = BadRecordAction.Skip;
      Manifest manifest =
          manifest(run(spec, SCHEDULED, (d, t, b, f) -> {}, Destination.DIRECTORY, url));

      assertThat(manifest.skipped()).extracting(Manifest.SkippedRecord::id).containsExactly(42L);
      assertThat(manifest.records()).isEqualTo(199);
      assertThat(exportedIds(manifest, format)).hasSize(199).doesNotContain(42L);
    }
  }

  @Test
  void aSiteWithOtherTableAndColumnNamesExportsTheSameRecords() throws Exception {
    try (var db = postgres.connect()) {
      db.createStatement()
          .execute(
              "CREATE SCHEMA IF NOT EXISTS site;"
                  + " DROP TABLE IF EXISTS site.ix;"
                  + " CREATE TABLE site.ix AS SELECT id AS ix_id, contact_id, media_type AS media,"
                  + " direction, status, subject, queue, agent_id, started_at AS start_ts,"
                  + " ended_at, tenant_id, attributes FROM interactions;"
                  + " CREATE INDEX ON site.ix (start_ts, ix_id)");
    }
    var names =
        SourceNames.parse(
            "interactions:\n"
                + "  table: site.ix\n"
                + "  columns: {id: ix_id, media_type: media, started_at: start_ts}\n");
    var timeframe = new Timeframe();
    timeframe.type = TimeframeType.FixedInterval;
    timeframe.start = "2026-03-01T00:00:00Z";
    timeframe.end = "2026-05-01T00:00:00Z";
    var spec = spec(SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, timeframe);
    spec.source.mediaTypes = List.of("chat", "voice");

    Manifest documented = manifest(run(spec, (d, t, b, f) -> {}));
    var target = new RunTarget("ns", "site", "site-" + SCHEDULED.getEpochSecond() / 60);
    Manifest site;
    RunStore store = store(Destination.DIRECTORY, target);
    site =
        manifest(
            new ExportRun(spec, target, SCHEDULED, (d, t, b, f) -> {}, Clock.systemUTC())
                .execute(
                    store,
                    new SourceDatabase(
                        postgres.url(), PostgresServer.USER, PostgresServer.PASSWORD, names)));

    assertThat(site.records()).isEqualTo(documented.records()).isPositive();
    assertThat(lines(site)).containsExactlyElementsOf(lines(documented));
    assertThat(site.attachments().records()).isEqualTo(documented.attachments().records());
  }

  @Test
  void aCountThatWouldTakeTooLongGivesWayToThePlannersEstimateInTheSameSnapshot() throws Exception {
    try (var db = postgres.connect()) {
      // Every row costs 10 ms to look at: counting 5,000 contacts would take 50 s.
      db.createStatement()
          .execute(
              "CREATE OR REPLACE VIEW slow_contacts AS SELECT * FROM contacts"
                  + " WHERE pg_sleep(0.01) IS NOT NULL");
      db.setAutoCommit(false);
      db.setTransactionIsolation(java.sql.Connection.TRANSACTION_REPEATABLE_READ);
      var selection =
          Selection.of(
              SourceTable.CONTACTS,
              SourceNames.parse("contacts: {table: slow_contacts}"),
              new ExportWindow(java.util.Optional.empty(), java.util.Optional.empty()),
              java.util.Optional.empty());
      long estimate = RecordCount.planRows(db, selection);

      RecordCount count = RecordCount.of(db, selection, estimate, java.time.Duration.ofMillis(200));

      assertThat(count.estimated()).isTrue();
      assertThat(count.value()).isEqualTo(estimate).isBetween(ROWS / 4 / 2, ROWS / 4 * 2);
      try (var rs = db.createStatement().executeQuery("SELECT count(*) FROM contacts")) {
        rs.next();
        assertThat(rs.getLong(1)).as("the transaction goes on").isEqualTo(ROWS / 4);
      }
      db.rollback();
    }
  }

  /** The ids of every record in the run's files, each once: a duplicate fails the test. */
  private List<Long> exportedIds(Manifest manifest, OutputFormat format) throws IOException {
    List<Long> ids = new ArrayList<>();
    if (format == OutputFormat.JSONL) {
      for (String line : lines(manifest)) {
        ids.add(JSON.readTree(line).get("id").asLong());
      }
    } else {
      for (String file : rawFiles(manifest)) {
        List<List<String>> rows = Csv.parse(file);
        rows.subList(1, rows.size()).forEach(row -> ids.add(Long.parseLong(row.get(0))));
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
    return ids;
  }

  @Test
  void windowAndMediaFilterSelectExactlyTheRightRowsBoundariesIncluded() throws Exception {
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    Instant to = Instant.parse("2026-03-15T00:00:00Z");
    try (var db = postgres.connect()) {
      db.createStatement()
          .execute(
              "INSERT INTO interactions (id, media_type, direction, status, started_at, tenant_id)"
                  + " VALUES (900001, 'chat', 'inbound', 'completed', '"
                  + from
                  + "', 1),"
                  + " (900002, 'chat', 'inbound', 'completed', '"
                  + to
                  + "', 1)");
    }
    var timeframe = new Timeframe();
    timeframe.type = TimeframeType.FixedInterval;
    timeframe.start = from.toString();
    timeframe.end = to.toString();
    var spec = spec(SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, timeframe);
    spec.source.mediaTypes = List.of("chat", "email");

    Manifest manifest;
    java.util.Set<Long> expected;
    try {
      manifest = manifest(run(spec, (done, total, bytes, files) -> {}));
      expected =
          rowsAsJson(
                  "interactions",
                  "started_at >= '"
                      + from
                      + "' AND started_at < '"
                      + to
                      + "' AND media_type IN ('chat', 'email')")
              .keySet();
    } finally {
      try (var db = postgres.connect()) {
        db.createStatement().execute("DELETE FROM interactions WHERE id IN (900001, 900002)");
      }
    }

    var exported = new TreeSet<Long>();
    for (String line : lines(manifest)) {
      exported.add(JSON.readTree(line).get("id").asLong());
    }
    assertThat(exported)
        .containsExactlyInAnyOrderElementsOf(expected)
        .contains(900001L)
        .doesNotContain(900002L);
    assertThat(manifest.windowStart()).isEqualTo(from.toString());
    assertThat(manifest.filter()).containsExactly("chat", "email");
  }

  @Test
  void consecutiveSinceLastRunWindowsTileTime() throws Exception {
    var spec = spec(SourceType.Event, OutputFormat.JSONL, Compression.GZIP, null, null);
    spec.schedule = new Schedule();
    spec.schedule.run = RunMode.Hourly;
    spec.schedule.everyHours = 6;
    spec.schedule.minute = 0;
    spec.schedule.timeZone = "UTC";
    Instant first = Instant.parse("2026-02-10T06:00:00Z");
    Instant second = Instant.parse("2026-02-10T12:00:00Z");

    Manifest a = manifest(run(spec, first));
    Manifest b = manifest(run(spec, second));

    assertThat(a.windowEnd()).isEqualTo(b.windowStart()).isEqualTo(first.toString());
    var ids = new TreeSet<Long>();
    for (Manifest m : List.of(a, b)) {
      for (String line : lines(m)) {
        assertThat(ids.add(JSON.readTree(line).get("id").asLong())).as("exported twice").isTrue();
      }
    }
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            rowsAsJson(
                    "events",
                    "occurred_at >= '2026-02-10T00:00:00Z' AND occurred_at < '" + second + "'")
                .keySet());
  }

  @Test
  void runKilledHalfwayIsRedoneCleanlyAndACompleteRunIsNeverRewritten() throws Exception {
    var spec = spec(SourceType.Interaction, OutputFormat.CSV, Compression.GZIP, "1Mi", all());
    String runId = "crash-" + SCHEDULED.getEpochSecond() / 60;
    var target = new RunTarget("ns", "crash", runId);
    var store = new DirectoryStore(output, target);
    var dying =
        new ExportRun(
            spec,
            target,
            SCHEDULED,
            atHalfway(
                () -> {
                  throw new IllegalStateException("killed at 50%");
                }),
            Clock.systemUTC());
    try {
      dying.execute(store, source(postgres.url()));
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
            (done, total, bytes, files) -> progress.add(done),
            Clock.systemUTC());
    RunSummary summary = retry.execute(store, source(postgres.url()));

    assertThat(summary.records()).isEqualTo(ROWS);
    List<List<String>> rows =
        Csv.parse(
            String.join("", rawFiles(manifest(summary)))
                .replaceAll("(?m)^id,contact_id.*\\r\\n", ""));
    assertThat(rows.stream().map(r -> r.get(0)).distinct().count()).isEqualTo(ROWS);
    assertThat(progress)
        .isSorted()
        .last()
        .isEqualTo(ROWS + manifest(summary).attachments().records());
    assertThat(store.directory().resolve("part-00009.csv.gz")).doesNotExist();

    var manifestTime = Files.getLastModifiedTime(store.directory().resolve(Manifest.FILE));
    RunSummary again =
        new ExportRun(
                spec,
                target,
                SCHEDULED,
                (done, total, bytes, files) -> {
                  throw new AssertionError("a complete run must not be redone");
                },
                Clock.systemUTC())
            .execute(store, source(postgres.url()));
    assertThat(again).isEqualTo(summary);
    assertThat(Files.getLastModifiedTime(store.directory().resolve(Manifest.FILE)))
        .isEqualTo(manifestTime);
  }

  @Test
  void databaseGoingAwayMidRunFailsClearlyAndPublishesNothing() throws Exception {
    var spec = spec(SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, all());
    var target = new RunTarget("ns", "db-restart", "db-restart-" + SCHEDULED.getEpochSecond() / 60);
    var store = new DirectoryStore(output, target);
    var run =
        new ExportRun(spec, target, SCHEDULED, atHalfway(postgres::restart), Clock.systemUTC());

    RunSummary summary = run.execute(store, source(postgres.url()));

    assertThat(summary.result()).isEqualTo("Failed");
    assertThat(summary.error()).startsWith("source database: ");
    assertThat(store.directory().resolve(Manifest.FILE)).doesNotExist();
  }

  @Test
  void emptyWindowGivesAnEmptyPartAndAManifest() throws Exception {
    var timeframe = new Timeframe();
    timeframe.type = TimeframeType.FixedInterval;
    timeframe.start = "2020-01-01T00:00:00Z";
    timeframe.end = "2020-01-02T00:00:00Z";

    Manifest manifest =
        manifest(
            run(
                spec(SourceType.Event, OutputFormat.JSONL, Compression.GZIP, null, timeframe),
                (d, t, b, f) -> {}));

    assertThat(manifest.records()).isZero();
    assertThat(manifest.files()).singleElement().satisfies(f -> assertThat(f.records()).isZero());
    assertThat(lines(manifest)).isEmpty();
  }

  /** A progress listener that does {@code action} when half the records are done. */
  private static ProgressListener atHalfway(Action action) {
    return (done, total, bytes, files) -> {
      if (done == total / 2) {
        try {
          action.run();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  private RunSummary run(ExportJobSpec spec, ProgressListener progress) {
    return run(spec, SCHEDULED, progress);
  }

  private RunSummary run(ExportJobSpec spec, Instant scheduledAt) {
    return run(spec, scheduledAt, (done, total, bytes, files) -> {});
  }

  private RunSummary run(ExportJobSpec spec, Instant scheduledAt, ProgressListener progress) {
    return run(spec, scheduledAt, progress, Destination.DIRECTORY);
  }

  private RunSummary run(
      ExportJobSpec spec, Instant scheduledAt, ProgressListener progress, Destination kind) {
    return run(spec, scheduledAt, progress, kind, postgres.url());
  }

  private RunSummary run(
      ExportJobSpec spec,
      Instant scheduledAt,
      ProgressListener progress,
      Destination kind,
      String databaseUrl) {
    String job = "job" + (++runs);
    var target = new RunTarget("ns", job, job + "-" + scheduledAt.getEpochSecond() / 60);
    RunStore store = store(kind, target);
    return new ExportRun(spec, target, scheduledAt, progress, Clock.systemUTC())
        .execute(store, source(databaseUrl));
  }

  private static SourceDatabase source(String url) {
    return new SourceDatabase(
        url, PostgresServer.USER, PostgresServer.PASSWORD, SourceNames.DOCUMENTED);
  }

  /** S3 with the smallest part size S3 allows, so that a test-sized file takes several parts. */
  private RunStore store(Destination kind, RunTarget target) {
    return kind == Destination.DIRECTORY
        ? new DirectoryStore(output, target)
        : new S3Store(s3, BUCKET, target.folder(), S3_PART_SIZE);
  }

  private static ExportJobSpec spec(
      SourceType type,
      OutputFormat format,
      Compression compression,
      String split,
      Timeframe timeframe) {
    var spec = new ExportJobSpec();
    spec.title = "test";
    spec.source = new Source();
    spec.source.system = type == SourceType.Event ? "IWD" : "ContactHistory";
    spec.source.type = type;
    spec.schedule = new Schedule();
    spec.schedule.run = RunMode.Once;
    spec.timeframe = timeframe;
    spec.output = new Output();
    spec.output.format = format;
    spec.output.compression = compression;
    spec.output.fileSplitSize = split == null ? null : new Quantity(split);
    return spec;
  }

  private static Timeframe all() {
    var timeframe = new Timeframe();
    timeframe.type = TimeframeType.All;
    return timeframe;
  }

  /** The manifest the summary points to, read from the directory or the bucket. */
  private Manifest manifest(RunSummary summary) throws IOException {
    assertThat(summary.error()).isNull();
    String location = summary.manifest();
    String folder = location.substring(0, location.length() - Manifest.FILE.length());
    Manifest manifest = Manifest.parse(read(folder + Manifest.FILE));
    runFolders.put(manifest.runId(), folder);
    return manifest;
  }

  /** A file's bytes as stored, from a path or an s3://bucket/key URL. */
  private byte[] read(String location) throws IOException {
    if (!location.startsWith("s3://")) {
      return Files.readAllBytes(Path.of(location));
    }
    String path = location.substring("s3://".length());
    int slash = path.indexOf('/');
    return s3Server.read(path.substring(0, slash), path.substring(slash + 1));
  }

  private byte[] stored(Manifest manifest, PartFile file) throws IOException {
    return read(runFolders.get(manifest.runId()) + file.name());
  }

  private static String decompressed(byte[] stored) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private List<String> rawFiles(Manifest manifest) throws IOException {
    List<String> contents = new ArrayList<>();
    for (PartFile file : manifest.files()) {
      InputStream in = new ByteArrayInputStream(stored(manifest, file));
      try (InputStream content = file.name().endsWith(".gz") ? new GZIPInputStream(in) : in) {
        contents.add(new String(content.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return contents;
  }

  private List<String> lines(Manifest manifest) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String content : rawFiles(manifest)) {
      content.lines().filter(l -> !l.isEmpty()).forEach(lines::add);
    }
    return lines;
  }

  /** PostgreSQL's own JSON of each row: the reference the export is compared with. */
  private Map<Long, JsonNode> rowsAsJson(String table, String where) throws Exception {
    Map<Long, JsonNode> rows = new LinkedHashMap<>();
    try (var db = postgres.connect();
        var rs =
            db.createStatement()
                .executeQuery("SELECT row_to_json(t) FROM " + table + " t WHERE " + where)) {
      while (rs.next()) {
        JsonNode row = JSON.readTree(rs.getString(1));
        rows.put(row.get("id").asLong(), row);
      }
    }
    return rows;
  }

  /** Timestamps compared as instants: PostgreSQL writes +00:00 where the export writes Z. */
  private static JsonNode normalized(JsonNode record) {
    ObjectNode copy = record.deepCopy();
    record
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (name.endsWith("_at") && record.get(name).isTextual()) {
                copy.put(name, instant(record.get(name).asText()).toString());
              }
            });
    return copy;
  }

  private static Instant instant(String text) {
    return java.time.OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
  }

  /** A small RFC 4180 reader, independent of the writer under test. */
  static final class Csv {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      var field = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
          wasQuoted = true;
        } else if (c == ',') {
          row.add(value(field, wasQuoted));
          field.setLength(0);
          wasQuoted = false;
        } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          row.add(value(field, wasQuoted));
          rows.add(row);
          row = new ArrayList<>();
          field.setLength(0);
          wasQuoted = false;
          i++;
        } else {
          field.append(c);
        }
      }
      return rows;
    }

    private static String value(StringBuilder field, boolean quoted) {
      return field.length() == 0 && !quoted ? null : field.toString();
    }
  }
}
