package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * What the tests of consecutive runs share: their own PostgreSQL (the namespace's source Secret
 * points at it) and S3 server, rows inserted at chosen times, and the check that the runs' files
 * hold every row of their windows once.
 */
final class TilingFixture implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final PostgresServer postgres;
  final S3Server s3;
  final AtomicLong nextId = new AtomicLong(50_000_000);
  private final OperatorExtension cluster;

  private TilingFixture(OperatorExtension cluster, PostgresServer postgres, S3Server s3) {
    this.cluster = cluster;
    this.postgres = postgres;
    this.s3 = s3;
  }

  static TilingFixture start(OperatorExtension cluster, String name) throws Exception {
    var postgres = PostgresServer.start(WorkDirectory.path(), "postgres-" + name);
    var s3 = S3Server.start(WorkDirectory.path(), "s3-" + name);
    try (var db = postgres.connect()) {
      SampleData.load(db, 10, 5);
      db.createStatement().execute("TRUNCATE attachments, interactions");
    }
    var fixture = new TilingFixture(cluster, postgres, s3);
    // The namespace's source Secret, pointed at this class's database.
    fixture.setSourcePassword(PostgresServer.PASSWORD);
    return fixture;
  }

  @Override
  public void close() throws Exception {
    postgres.close();
    s3.close();
  }

  /**
   * A scheduled time of an hourly job, {@code hours} hours before the one half an hour from now:
   * the CronJob's own next run is then never during the test.
   */
  static Instant hoursAgo(int hours) {
    return Instant.now()
        .truncatedTo(ChronoUnit.MINUTES)
        .plus(Duration.ofMinutes(30))
        .minus(Duration.ofHours(hours));
  }

  /** An hourly job at {@code at}'s minute, exporting interactions SinceLastRun. */
  static ExportJob hourly(String name, Instant at, String settleTime) {
    var schedule = new Schedule();
    schedule.run = RunMode.Hourly;
    schedule.everyHours = 1;
    schedule.minute = at.atOffset(java.time.ZoneOffset.UTC).getMinute();
    var job = ExportJobs.job(name, schedule);
    job.getSpec().source.includeAttachments = false;
    job.getSpec().timeframe = new Timeframe();
    job.getSpec().timeframe.type = TimeframeType.SinceLastRun;
    job.getSpec().timeframe.settleTime = settleTime;
    return job;
  }

  /**
   * The runs' files together hold each row dated inside their windows, taken together, once, and
   * nothing else.
   */
  void assertExportedOnce(String name, List<RunRecord> runs) throws Exception {
    assertExportedOnce(runs, run -> exportedIds(name, run));
  }

  /** What a run's files hold, wherever they are. */
  interface RunFiles {
    List<Long> ids(RunRecord run) throws IOException;
  }

  void assertExportedOnce(List<RunRecord> runs, RunFiles files) throws Exception {
    List<Long> exported = new ArrayList<>();
    for (RunRecord run : runs) {
      exported.addAll(files.ids(run));
    }
    Instant from =
        runs.stream().map(r -> Instant.parse(r.windowStart)).min(Instant::compareTo).orElseThrow();
    Instant to =
        runs.stream().map(r -> Instant.parse(r.windowEnd)).max(Instant::compareTo).orElseThrow();
    List<Long> source = new ArrayList<>();
    try (var db = postgres.connect();
        var rs =
            db.createStatement()
                .executeQuery(
                    "SELECT id FROM interactions WHERE started_at >= '"
                        + from
                        + "' AND started_at < '"
                        + to
                        + "'")) {
      while (rs.next()) {
        source.add(rs.getLong(1));
      }
    }
    assertThat(source).as("rows of the whole period").isNotEmpty();
    assertThat(exported).as("no row twice").doesNotHaveDuplicates();
    assertThat(exported).containsExactlyInAnyOrderElementsOf(source);
  }

  List<Long> exportedIds(String name, RunRecord run) throws IOException {
    Path runDir = cluster.claim().resolve(cluster.namespace()).resolve(name).resolve(run.id);
    Manifest manifest = Manifest.parse(Files.readAllBytes(runDir.resolve(Manifest.FILE)));
    List<Long> ids = new ArrayList<>();
    for (PartFile file : manifest.files()) {
      ids.addAll(ids(Files.newInputStream(runDir.resolve(file.name()))));
    }
    return ids;
  }

  /** The ids of a gzipped JSON-lines part. */
  static List<Long> ids(InputStream part) throws IOException {
    List<Long> ids = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(part)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          ids.add(JSON.readTree(line).get("id").asLong());
        }
      }
    }
    return ids;
  }

  /** {@code count} rows spread evenly over [from, to), and one exactly at each bound. */
  void insertEvents(Instant from, Instant to, int count) throws SQLException {
    long step = Duration.between(from, to).toMillis() / count;
    try (var db = postgres.connect()) {
      for (int i = 0; i < count; i++) {
        insertEvent(db, nextId.incrementAndGet(), from.plusMillis(i * step));
      }
      insertEvent(db, nextId.incrementAndGet(), to);
    }
  }

  static void insertEvent(Connection db, long id, Instant at) throws SQLException {
    try (var insert =
        db.prepareStatement(
            "INSERT INTO interactions (id, media_type, direction, status, started_at, tenant_id)"
                + " VALUES (?, 'chat', 'inbound', 'completed', ?::timestamptz, 1)")) {
      insert.setLong(1, id);
      insert.setString(2, at.toString());
      insert.executeUpdate();
    }
  }

  void setSourcePassword(String password) {
    var data = new HashMap<String, String>();
    data.put("url", postgres.url());
    data.put("user", PostgresServer.USER);
    data.put("password", password);
    cluster
        .client()
        .secrets()
        .inNamespace(cluster.namespace())
        .withName("cdds-source-contacthistory")
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(data);
              return s;
            });
  }
}
