package dev.cdds.operator.exporter;

import static dev.cdds.operator.exporter.ExportFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.storage.Manifest;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Windows and filters select exactly the right rows, and consecutive windows tile time. */
// One exporter test class at a time: they add rows to the PostgreSQL they share.
@ResourceLock(ExportFixture.DATABASE)
class ExportWindowsIT {
  @RegisterExtension static final ExportFixture fixture = new ExportFixture();

  @Test
  void windowAndMediaFilterSelectExactlyTheRightRowsBoundariesIncluded() throws Exception {
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    Instant to = Instant.parse("2026-03-15T00:00:00Z");
    try (var db = fixture.postgres().connect()) {
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
    var spec =
        fixture.spec(SourceType.Interaction, OutputFormat.JSONL, Compression.GZIP, null, timeframe);
    spec.source.mediaTypes = List.of("chat", "email");

    Manifest manifest;
    java.util.Set<Long> expected;
    try {
      manifest = fixture.manifest(fixture.run(spec, (done, total, bytes, files) -> {}));
      expected =
          fixture
              .rowsAsJson(
                  "interactions",
                  "started_at >= '"
                      + from
                      + "' AND started_at < '"
                      + to
                      + "' AND media_type IN ('chat', 'email')")
              .keySet();
    } finally {
      try (var db = fixture.postgres().connect()) {
        db.createStatement().execute("DELETE FROM interactions WHERE id IN (900001, 900002)");
      }
    }

    var exported = new TreeSet<Long>();
    for (String line : fixture.lines(manifest)) {
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
    var spec = fixture.spec(SourceType.Event, OutputFormat.JSONL, Compression.GZIP, null, null);
    spec.schedule = new Schedule();
    spec.schedule.run = RunMode.Hourly;
    spec.schedule.everyHours = 6;
    spec.schedule.minute = 0;
    spec.schedule.timeZone = "UTC";
    Instant first = Instant.parse("2026-02-10T06:00:00Z");
    Instant second = Instant.parse("2026-02-10T12:00:00Z");

    Manifest a = fixture.manifest(fixture.run(spec, first));
    Manifest b = fixture.manifest(fixture.run(spec, second));

    // Each window ends the default settle time (15 minutes) before its scheduled time.
    assertThat(a.windowEnd())
        .isEqualTo(b.windowStart())
        .isEqualTo(first.minusSeconds(15 * 60).toString());
    var ids = new TreeSet<Long>();
    for (Manifest m : List.of(a, b)) {
      for (String line : fixture.lines(m)) {
        assertThat(ids.add(JSON.readTree(line).get("id").asLong())).as("exported twice").isTrue();
      }
    }
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            fixture
                .rowsAsJson(
                    "events",
                    "occurred_at >= '2026-02-09T23:45:00Z' AND occurred_at < '"
                        + second.minusSeconds(15 * 60)
                        + "'")
                .keySet());
  }

  @Test
  void emptyWindowGivesAnEmptyPartAndAManifest() throws Exception {
    var timeframe = new Timeframe();
    timeframe.type = TimeframeType.FixedInterval;
    timeframe.start = "2020-01-01T00:00:00Z";
    timeframe.end = "2020-01-02T00:00:00Z";

    Manifest manifest =
        fixture.manifest(
            fixture.run(
                fixture.spec(
                    SourceType.Event, OutputFormat.JSONL, Compression.GZIP, null, timeframe),
                (d, t, b, f) -> {}));

    assertThat(manifest.records()).isZero();
    assertThat(manifest.files()).singleElement().satisfies(f -> assertThat(f.records()).isZero());
    assertThat(fixture.lines(manifest)).isEmpty();
  }
}
