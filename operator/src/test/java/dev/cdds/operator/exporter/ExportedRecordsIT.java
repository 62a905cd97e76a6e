package dev.cdds.operator.exporter;

import static dev.cdds.operator.exporter.ExportFixture.BUCKET;
import static dev.cdds.operator.exporter.ExportFixture.JSON;
import static dev.cdds.operator.exporter.ExportFixture.ROWS;
import static dev.cdds.operator.exporter.ExportFixture.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.exporter.ExportFixture.Destination;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The records of an export are exactly the source rows, in every format, compression and
 * destination, and with a site's own table names.
 */
// One exporter test class at a time: they add rows to the PostgreSQL they share.
@ResourceLock(ExportFixture.DATABASE)
class ExportedRecordsIT {
  @RegisterExtension static final ExportFixture fixture = new ExportFixture();

  @Test
  void jsonlGzipRecordsAreExactlyTheSourceRows() throws Exception {
    var spec =
        fixture.spec(
            SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, fixture.all());

    RunSummary summary = fixture.run(spec, (done, total, bytes, files) -> {});

    assertThat(summary.error()).isNull();
    assertThat(summary.records()).isEqualTo(ROWS);
    Map<Long, JsonNode> exported = new LinkedHashMap<>();
    for (String line : fixture.lines(fixture.manifest(summary))) {
      JsonNode record = JSON.readTree(line);
      exported.put(record.get("id").asLong(), record);
    }
    Map<Long, JsonNode> source = fixture.rowsAsJson("interactions", "true");
    assertThat(exported.keySet()).containsExactlyInAnyOrderElementsOf(source.keySet());
    for (var row : source.entrySet()) {
      assertThat(fixture.normalized(exported.get(row.getKey())))
          .as("interaction %d", row.getKey())
          .isEqualTo(fixture.normalized(row.getValue()));
    }
  }

  @Test
  void everyRecordTypeMatchesThePublishedSchemaTheManifestNames() throws Exception {
    var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    for (SourceType type : SourceType.values()) {
      var spec = fixture.spec(type, OutputFormat.JSONL, Compression.GZIP, null, fixture.all());

      Manifest manifest = fixture.manifest(fixture.run(spec, (done, total, bytes, files) -> {}));

      String file = manifest.recordSchema().substring(manifest.recordSchema().lastIndexOf('/') + 1);
      Path published = Path.of("..", "docs", "schemas", file);
      assertThat(published).exists();
      JsonSchema schema;
      try (InputStream in = Files.newInputStream(published)) {
        schema = factory.getSchema(in);
      }
      List<String> lines = fixture.lines(manifest);
      assertThat(lines).isNotEmpty();
      for (String line : lines) {
        assertThat(schema.validate(JSON.readTree(line))).as("%s record %s", type, line).isEmpty();
      }
    }
  }

  @Test
  void csvRecordsAreExactlyTheSourceRows() throws Exception {
    var spec =
        fixture.spec(SourceType.Contact, OutputFormat.CSV, Compression.NONE, null, fixture.all());

    RunSummary summary = fixture.run(spec, (done, total, bytes, files) -> {});

    List<List<String>> rows =
        Csv.parse(String.join("", fixture.rawFiles(fixture.manifest(summary))));
    List<String> header = rows.get(0);
    assertThat(header).containsExactlyElementsOf(SourceTable.CONTACTS.columns());
    Map<Long, JsonNode> source = fixture.rowsAsJson("contacts", "true");
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
          assertThat(Instant.parse(row.get(i))).isEqualTo(SourceRows.instant(value.asText()));
        } else if (value.isContainerNode()) {
          assertThat(JSON.readTree(row.get(i))).isEqualTo(value);
        } else {
          assertThat(row.get(i)).as("%s of contact %s", header.get(i), row.get(0)).isEqualTo(text);
        }
      }
    }
  }

  @Test
  void everyFormatCompressionAndDestinationGivesBackExactlyTheSourceRows() throws Exception {
    Map<Long, JsonNode> source = fixture.rowsAsJson("interactions", "true");
    for (Destination destination : Destination.values()) {
      for (OutputFormat format : OutputFormat.values()) {
        for (Compression compression : Compression.values()) {
          String what = destination + " " + format + " " + compression;
          // Uncompressed in one file: over the S3 part size, so it goes up in several parts.
          String split = compression == Compression.GZIP ? "256Ki" : null;
          var spec =
              fixture.spec(SourceType.Interaction, format, compression, split, fixture.all());

          RunSummary summary =
              fixture.run(spec, SCHEDULED, (done, total, bytes, files) -> {}, destination);

          Manifest manifest = fixture.manifest(summary);
          assertThat(manifest.records()).as(what).isEqualTo(ROWS);
          assertThat(manifest.files().stream().mapToLong(PartFile::records).sum()).isEqualTo(ROWS);
          for (PartFile file : manifest.files()) {
            byte[] content = fixture.stored(manifest, file);
            assertThat(content.length).as(what).isEqualTo(file.bytes());
            assertThat(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
                .isEqualTo(file.sha256());
          }
          assertThat(fixture.exportedIds(manifest, format))
              .as(what)
              .containsExactlyInAnyOrderElementsOf(source.keySet());
        }
      }
    }
    assertThat(fixture.s3Server().openUploads(BUCKET, "ns/")).isZero();
  }

  @Test
  void aSiteWithOtherTableAndColumnNamesExportsTheSameRecords() throws Exception {
    try (var db = fixture.postgres().connect()) {
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
    var spec =
        fixture.spec(SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, timeframe);
    spec.source.mediaTypes = List.of("chat", "voice");

    Manifest documented = fixture.manifest(fixture.run(spec, (d, t, b, f) -> {}));
    var target = new RunTarget("ns", "site", "site-" + SCHEDULED.getEpochSecond() / 60);
    Manifest site;
    RunStore store = fixture.store(Destination.DIRECTORY, target);
    site =
        fixture.manifest(
            ExportFixture.firstRun(spec, target)
                .execute(
                    store,
                    new SourceDatabase(
                        fixture.postgres().url(),
                        PostgresServer.USER,
                        PostgresServer.PASSWORD,
                        names)));

    assertThat(site.records()).isEqualTo(documented.records()).isPositive();
    assertThat(fixture.lines(site)).containsExactlyElementsOf(fixture.lines(documented));
    assertThat(site.attachments().records()).isEqualTo(documented.attachments().records());
  }
}
