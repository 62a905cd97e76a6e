package dev.cdds.operator.exporter;

import static dev.cdds.operator.exporter.ExportFixture.ROWS;
import static dev.cdds.operator.exporter.ExportFixture.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.SampleData;
import dev.cdds.operator.api.BadRecordAction;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.exporter.ExportFixture.Destination;
import dev.cdds.operator.exporter.source.BadRecords;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.storage.Manifest;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Bad records (too large, not UTF-8) fail the run naming them, or are skipped and listed. */
// One exporter test class at a time: they add rows to the PostgreSQL they share.
@ResourceLock(ExportFixture.DATABASE)
class BadRecordsIT {
  @RegisterExtension static final ExportFixture fixture = new ExportFixture();

  @Test
  void aRecordOverTheSizeLimitFailsTheRunByIdOrIsSkippedAndListed() throws Exception {
    List<Long> large = new ArrayList<>();
    try (var db = fixture.postgres().connect();
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
      var spec =
          fixture.spec(SourceType.Interaction, format, Compression.GZIP, null, fixture.all());
      spec.source.includeAttachments = false;
      spec.output.maxRecordSize = new Quantity("4Ki");

      RunSummary failed = fixture.run(spec, (d, t, b, f) -> {});

      assertThat(failed.result()).isEqualTo("Failed");
      assertThat(failed.error())
          .matches("bad record: interaction \\d+: record of \\d+ bytes is larger than .*")
          .contains("onBadRecord");
      assertThat(large).contains(Long.parseLong(failed.error().split(" ")[3].replace(":", "")));

      spec.output.onBadRecord = BadRecordAction.Skip;
      RunSummary skipped = fixture.run(spec, (d, t, b, f) -> {});

      Manifest manifest = fixture.manifest(skipped);
      assertThat(skipped.skippedRecords()).isEqualTo(large.size());
      assertThat(manifest.skippedRecords()).isEqualTo(large.size());
      assertThat(manifest.skipped())
          .hasSize(Math.min(BadRecords.LISTED, large.size()))
          .extracting(Manifest.SkippedRecord::id)
          .doesNotHaveDuplicates()
          .isSubsetOf(large);
      assertThat(manifest.records()).isEqualTo(ROWS - large.size());
      assertThat(fixture.exportedIds(manifest, format)).doesNotContainAnyElementsOf(large);
    }
  }

  @Test
  void textThatIsNotUtf8FailsTheRunByIdOrIsSkippedInEitherFormat() throws Exception {
    String url = fixture.postgres().createSqlAsciiDatabase("legacy");
    try (var db = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
      SampleData.load(db, 200, 5);
      db.createStatement()
          .execute("UPDATE interactions SET subject = E'caf\\xe9 au lait' WHERE id = 42");
    }
    for (OutputFormat format : OutputFormat.values()) {
      var spec =
          fixture.spec(SourceType.Interaction, format, Compression.GZIP, null, fixture.all());
      spec.source.includeAttachments = false;

      RunSummary failed =
          fixture.run(spec, SCHEDULED, (d, t, b, f) -> {}, Destination.DIRECTORY, url);

      assertThat(failed.error()).as(format.name()).startsWith("bad record: interaction 42: ");
      try (var files = Files.walk(fixture.output().resolve("ns").resolve(fixture.lastJob()))) {
        assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain(Manifest.FILE);
      }

      spec.output.onBadRecord = BadRecordAction.Skip;
      Manifest manifest =
          fixture.manifest(
              fixture.run(spec, SCHEDULED, (d, t, b, f) -> {}, Destination.DIRECTORY, url));

      assertThat(manifest.skipped()).extracting(Manifest.SkippedRecord::id).containsExactly(42L);
      assertThat(manifest.records()).isEqualTo(199);
      assertThat(fixture.exportedIds(manifest, format)).hasSize(199).doesNotContain(42L);
    }
  }
}
