package dev.cdds.operator.exporter;

import static dev.cdds.operator.exporter.ExportFixture.JSON;
import static dev.cdds.operator.exporter.ExportFixture.ROWS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * How records are laid out in files: parts within the split size, attachments in files of their
 * own.
 */
// One exporter test class at a time: they add rows to the PostgreSQL they share.
@ResourceLock(ExportFixture.DATABASE)
class ExportFilesIT {
  @RegisterExtension static final ExportFixture fixture = new ExportFixture();

  @Test
  void partsStayWithinTheSplitSizeAndAddUp() throws Exception {
    // Smaller than the API's 1Mi minimum, so that 20,000 rows give several gzip parts too.
    long limit = 256 * 1024;
    for (Compression compression : Compression.values()) {
      var spec =
          fixture.spec(
              SourceType.Interaction, OutputFormat.JSONL, compression, "256Ki", fixture.all());

      Manifest manifest = fixture.manifest(fixture.run(spec, (done, total, bytes, files) -> {}));

      assertThat(manifest.compression()).isEqualTo(compression.name().toLowerCase(Locale.ROOT));
      assertThat(manifest.files()).as(compression.name()).hasSizeGreaterThan(1);
      assertThat(manifest.files())
          .allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(limit));
      // Parts are filled, not cut early: all but the last hold at least 3/4 of the limit.
      assertThat(manifest.files().subList(0, manifest.files().size() - 1))
          .allSatisfy(f -> assertThat(f.bytes()).isGreaterThan(limit * 3 / 4));
      assertThat(manifest.files().stream().mapToLong(PartFile::records).sum()).isEqualTo(ROWS);
      for (PartFile file : manifest.files()) {
        byte[] content = fixture.stored(manifest, file);
        assertThat(content.length).isEqualTo(file.bytes());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
            .isEqualTo(file.sha256());
      }
      assertThat(fixture.lines(manifest)).hasSize((int) ROWS);
    }
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
    try (var db = fixture.postgres().connect();
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
      var spec = fixture.spec(SourceType.Interaction, format, Compression.GZIP, "1Mi", timeframe);

      Manifest manifest = fixture.manifest(fixture.run(spec, (done, total, bytes, files) -> {}));

      Manifest.FileSet attachments = manifest.attachments();
      assertThat(attachments.recordType()).isEqualTo("attachment");
      assertThat(attachments.records()).isEqualTo(expected.size());
      assertThat(attachments.files())
          .allSatisfy(f -> assertThat(f.name()).startsWith("attachments-"))
          .allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(1024 * 1024));
      assertThat(manifest.files()).allSatisfy(f -> assertThat(f.name()).startsWith("part-"));
      var interactionIds = new java.util.HashSet<>(fixture.exportedIds(manifest, format));
      Map<Long, String> exported = new HashMap<>();
      for (PartFile file : attachments.files()) {
        String content = ExportFixture.uncompressed(file.name(), fixture.stored(manifest, file));
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
        fixture.spec(SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, timeframe);
    without.source.includeAttachments = false;
    assertThat(fixture.manifest(fixture.run(without, (d, t, b, f) -> {})).attachments()).isNull();
  }
}
