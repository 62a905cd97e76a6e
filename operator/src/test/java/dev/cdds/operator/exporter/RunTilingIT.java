package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.Destination;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.plugin.InProcessPlugin;
import dev.cdds.operator.runcontract.StatusConditions;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import dev.cdds.operator.testing.S3Destinations;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consecutive runs of a SinceLastRun job, scheduled, manual, failed, late or rerun, export every
 * row of the source once: real export pods on the process node, a real PostgreSQL, the files on the
 * claim. Scheduled runs are started as the CronJob controller starts them (a Job from the CronJob's
 * template named for its scheduled minute), for scheduled times the test chooses.
 */
// Classes start longest first (operator/pom.xml orders them): the longest class (its soak, about 6
// minutes on 2 busy cores) starts first, beside the others, not alone at the end.
@Order(1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunTilingIT {
  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.running("tiling", OperatorUnderTest.realExporter());

  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicLong nextId = new AtomicLong(50_000_000);
  private PostgresServer postgres;
  private S3Server s3;

  @BeforeAll
  void startDatabase() throws Exception {
    postgres = PostgresServer.start(WorkDirectory.path(), "postgres-tiling");
    s3 = S3Server.start(WorkDirectory.path(), "s3-tiling");
    try (var db = postgres.connect()) {
      SampleData.load(db, 10, 5);
      db.createStatement().execute("TRUNCATE attachments, interactions");
    }
    // The namespace's source Secret, pointed at this class's database.
    setSourcePassword(PostgresServer.PASSWORD);
  }

  @AfterAll
  void stopDatabase() throws Exception {
    postgres.close();
    s3.close();
  }

  /** spec.schedule.startImmediately: a run on creation, then the schedule, seamless. */
  @Test
  void anImmediateRunOnCreationAndTheNextScheduledRunExportEveryRowOnce() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // Hourly at a minute half an hour ahead: the previous scheduled time was half an hour ago.
    Instant t1 = now.plus(Duration.ofMinutes(30));
    var job = hourly("immediate", t1, "5m");
    job.getSpec().schedule.startImmediately = true;
    insertEvents(now.minus(Duration.ofHours(3)), t1.plus(Duration.ofHours(1)), 40);

    var created = cluster.jobs().resource(job).create();
    Instant createdMinute =
        Instant.parse(created.getMetadata().getCreationTimestamp()).truncatedTo(ChronoUnit.MINUTES);
    RunRecord immediate = finished("immediate", RunIds.of("immediate", createdMinute));
    RunRecord next = scheduledRun("immediate", t1);

    assertThat(List.of(immediate, next))
        .allSatisfy(r -> assertThat(r.result).as(r.message).isEqualTo(RunResult.Succeeded));
    assertThat(immediate.immediate).isTrue();
    assertThat(immediate.windowStart).isEqualTo(t1.minus(Duration.ofMinutes(65)).toString());
    assertThat(immediate.windowEnd)
        .isEqualTo(createdMinute.minus(Duration.ofMinutes(5)).toString());
    assertThat(next.windowStart).isEqualTo(immediate.windowEnd);
    assertExportedOnce("immediate", List.of(immediate, next));
    assertThat(plugin().run("history", "immediate").out()).contains("immediate");
  }

  @Test
  void scheduledManualAndScheduledRunsExportEveryRowOnce() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // Hourly at a minute half an hour ago: the last scheduled run was then, the next is ahead.
    Instant t1 = now.minus(Duration.ofMinutes(30));
    Instant t2 = t1.plus(Duration.ofHours(1));
    var job = hourly("scheduled-manual", t1, "5m");
    cluster.jobs().resource(job).create();
    insertEvents(t1.minus(Duration.ofHours(3)), t2.plus(Duration.ofHours(1)), 40);

    RunRecord first = scheduledRun("scheduled-manual", t1);
    // Rows arriving between runs, dated from where the last window ended.
    insertEvents(Instant.parse(first.windowEnd), now, 10);
    var started = plugin().run("run", "scheduled-manual");
    assertThat(started.exit()).as(started.err()).isZero();
    String manualId = started.out().split(" ")[1];
    RunRecord manual = finished("scheduled-manual", manualId);
    insertEvents(Instant.parse(manual.windowEnd), t2, 10);
    RunRecord second = scheduledRun("scheduled-manual", t2);

    assertThat(List.of(first, manual, second))
        .allSatisfy(r -> assertThat(r.result).as(r.message).isEqualTo(RunResult.Succeeded));
    assertThat(manual.manual).isTrue();
    // Each window ends settleTime (5 minutes) before its run, and starts where the last ended.
    assertThat(first.windowStart).isEqualTo(t1.minus(Duration.ofMinutes(65)).toString());
    assertThat(first.windowEnd).isEqualTo(t1.minus(Duration.ofMinutes(5)).toString());
    assertThat(manual.windowStart).isEqualTo(first.windowEnd);
    assertThat(second.windowStart).isEqualTo(manual.windowEnd);
    assertThat(second.windowEnd).isEqualTo(t2.minus(Duration.ofMinutes(5)).toString());
    assertExportedOnce("scheduled-manual", List.of(first, manual, second));
    assertThat(status("scheduled-manual").exportedThrough).isEqualTo(second.windowEnd);
    var history = plugin().run("history", "scheduled-manual");
    assertThat(history.out())
        .contains("manual")
        .contains(Instant.parse(manual.windowStart).toString().substring(11, 16));
  }

  @Test
  void aFailedRunsWindowIsExportedByTheNextRun() throws Exception {
    Instant t0 = hoursAgo(3);
    var job = hourly("failed-then-ok", t0, "0m");
    cluster.jobs().resource(job).create();
    insertEvents(t0.minus(Duration.ofHours(2)), t0.plus(Duration.ofHours(3)), 60);

    RunRecord ok = scheduledRun("failed-then-ok", t0);
    RunRecord failed;
    setSourcePassword("not-the-password");
    try {
      failed = scheduledRun("failed-then-ok", t0.plus(Duration.ofHours(1)));
    } finally {
      setSourcePassword(PostgresServer.PASSWORD);
    }
    RunRecord caughtUp = scheduledRun("failed-then-ok", t0.plus(Duration.ofHours(2)));

    assertThat(ok.result).as(ok.message).isEqualTo(RunResult.Succeeded);
    assertThat(failed.result).isEqualTo(RunResult.Failed);
    assertThat(failed.message).contains("password authentication failed");
    assertThat(caughtUp.result).as(caughtUp.message).isEqualTo(RunResult.Succeeded);
    assertThat(caughtUp.windowStart).isEqualTo(ok.windowEnd).isEqualTo(t0.toString());
    assertThat(caughtUp.windowEnd).isEqualTo(t0.plus(Duration.ofHours(2)).toString());
    assertExportedOnce("failed-then-ok", List.of(ok, caughtUp));
  }

  @Test
  void aCatchUpLongerThanMaxCatchUpExportsTheLatestPartAndReportsTheGap() throws Exception {
    Instant t0 = hoursAgo(5);
    var job = hourly("gap", t0, "0m");
    job.getSpec().timeframe.maxCatchUp = "2h";
    cluster.jobs().resource(job).create();

    RunRecord ok = scheduledRun("gap", t0);
    // Three runs missed: the next one may catch up two hours of the four.
    RunRecord late = scheduledRun("gap", t0.plus(Duration.ofHours(4)));

    assertThat(late.result).as(late.message).isEqualTo(RunResult.Succeeded);
    assertThat(late.windowStart).isEqualTo(t0.plus(Duration.ofHours(2)).toString());
    assertThat(late.gapStart).isEqualTo(ok.windowEnd);
    assertThat(late.gapEnd).isEqualTo(late.windowStart);
    var status = status("gap");
    var gap =
        status.conditions.stream()
            .filter(c -> StatusConditions.GAP_DETECTED.equals(c.type))
            .findFirst()
            .orElseThrow();
    assertThat(gap.status).isEqualTo("True");
    assertThat(gap.message).contains(t0.toString(), t0.plus(Duration.ofHours(2)).toString());
    assertThat(OperatorUnderTest.eventReasons(cluster.client(), cluster.namespace(), "gap"))
        .contains(StatusConditions.GAP_DETECTED);
    assertThat(plugin().run("history", "gap").out()).contains("GAP: nothing exported from");
  }

  @Test
  void aRowCommittedAfterARunWithATimeInsideTheSettleTimeIsExportedByTheNextRunOnce()
      throws Exception {
    Instant t0 = hoursAgo(2);
    var job = hourly("late-row", t0, "10m");
    cluster.jobs().resource(job).create();
    insertEvents(t0.minus(Duration.ofHours(1)), t0.plus(Duration.ofHours(1)), 30);
    long lateId = nextId.incrementAndGet();
    RunRecord first;
    RunRecord second;
    // A transaction open across the first run, writing a row dated two minutes before it.
    try (Connection open = postgres.connect()) {
      open.setAutoCommit(false);
      insertEvent(open, lateId, t0.minus(Duration.ofMinutes(2)));
      first = scheduledRun("late-row", t0);
      open.commit();
    }
    second = scheduledRun("late-row", t0.plus(Duration.ofHours(1)));

    assertThat(first.result).as(first.message).isEqualTo(RunResult.Succeeded);
    assertThat(second.result).as(second.message).isEqualTo(RunResult.Succeeded);
    assertThat(exportedIds("late-row", first)).doesNotContain(lateId);
    assertThat(exportedIds("late-row", second)).containsOnlyOnce(lateId);
    assertExportedOnce("late-row", List.of(first, second));
  }

  @Test
  void aRerunExportsThePastRunsWindowAgainAndLeavesTheSequenceAlone() throws Exception {
    Instant t0 = hoursAgo(3);
    var job = hourly("rerun", t0, "0m");
    cluster.jobs().resource(job).create();
    insertEvents(t0.minus(Duration.ofHours(2)), t0.plus(Duration.ofHours(2)), 30);
    RunRecord first = scheduledRun("rerun", t0);
    RunRecord second = scheduledRun("rerun", t0.plus(Duration.ofHours(1)));

    var started = plugin().run("rerun", first.id);
    assertThat(started.exit()).as(started.err()).isZero();
    assertThat(started.out()).contains("rerun of " + first.id);
    RunRecord again = finished("rerun", started.out().split(" ")[1]);

    assertThat(again.result).as(again.message).isEqualTo(RunResult.Succeeded);
    assertThat(again.rerunOf).isEqualTo(first.id);
    assertThat(again.windowStart).isEqualTo(first.windowStart);
    assertThat(again.windowEnd).isEqualTo(first.windowEnd);
    assertThat(exportedIds("rerun", again)).isEqualTo(exportedIds("rerun", first)).isNotEmpty();
    assertThat(status("rerun").exportedThrough).isEqualTo(second.windowEnd);
    assertThat(plugin().run("history", "rerun").out()).contains("rerun of " + first.id);
    var unknown = plugin().run("rerun", "rerun-42");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("run rerun-42 is not in the history of rerun");
  }

  /**
   * The exactly-once soak: an hourly job exporting to S3 through 48 scheduled times and a manual
   * run, with faults injected at random (a seeded draw, the same every time): the database refusing
   * the run's login, restarted while the run reads, the run's pod deleted while it runs, the S3
   * server down for the run. New rows keep arriving between runs. Whatever fails, the union of the
   * successful runs' files holds every row of the whole period once. The figures go to the log, and
   * docs/benchmarks.md.
   */
  @Test
  void exactlyOnceSoakThrough48ScheduledRunsWithFaultsAndAManualRun() throws Exception {
    var random = new java.util.Random(48);
    int times = 48;
    Instant first = hoursAgo(times);
    var job = hourly("soak", first, "5m");
    // Failures here are injected on purpose: never suspend the job for them.
    job.getSpec().suspendAfterFailures = 0;
    cluster
        .client()
        .resource(S3Server.credentialsSecret("soak-bucket"))
        .inNamespace(cluster.namespace())
        .createOr(existing -> existing.update());
    job.getSpec().output = new Output();
    job.getSpec().output.destination = new Destination();
    job.getSpec().output.destination.s3 = S3Destinations.of(s3, "soak", "cdds/", "soak-bucket");
    cluster.jobs().resource(job).create();
    insertEvents(first.minus(Duration.ofHours(2)), first, 20);
    long started = System.nanoTime();
    Map<String, Integer> faults = new java.util.TreeMap<>();
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      Instant at = first.plus(Duration.ofHours(i));
      // Rows of this hour arrive before its run, some dated inside the settle time before it.
      insertEvents(at.minus(Duration.ofMinutes(55)), at, 6);
      String fault =
          List.of("none", "none", "none", "none", "none", "login", "restart", "kill", "s3")
              .get(random.nextInt(9));
      faults.merge(fault, 1, Integer::sum);
      if (fault.equals("login")) {
        setSourcePassword("not-the-password");
      } else if (fault.equals("s3")) {
        s3.stop();
      }
      String id = cluster.startScheduledRun("soak", at);
      try {
        if (fault.equals("restart")) {
          awaitPodRunning(id);
          postgres.restart();
        } else if (fault.equals("kill")) {
          awaitPodRunning(id);
          cluster
              .client()
              .pods()
              .inNamespace(cluster.namespace())
              .withLabel("job-name", id)
              .delete();
        }
        runs.add(finished("soak", id));
      } finally {
        if (fault.equals("login")) {
          setSourcePassword(PostgresServer.PASSWORD);
        } else if (fault.equals("s3")) {
          s3.start();
        }
      }
    }
    insertEvents(first.plus(Duration.ofHours(times - 1)), Instant.now(), 6);
    var manual = plugin().run("run", "soak");
    assertThat(manual.exit()).as(manual.err()).isZero();
    runs.add(finished("soak", manual.out().split(" ")[1]));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    List<RunRecord> succeeded = runs.stream().filter(r -> r.result == RunResult.Succeeded).toList();
    long failed = runs.size() - succeeded.size();
    org.slf4j.LoggerFactory.getLogger(RunTilingIT.class)
        .info(
            "exactly-once soak: runs={} succeeded={} failed={} faults={} rows={} seconds={}",
            runs.size(),
            succeeded.size(),
            failed,
            faults,
            succeeded.stream().mapToLong(r -> r.records).sum(),
            took.toSeconds());
    assertThat(failed).as("faults that made a run fail").isPositive();
    assertThat(runs.get(runs.size() - 1).result).isEqualTo(RunResult.Succeeded);
    assertThat(succeeded.get(0).windowStart)
        .isEqualTo(first.minus(Duration.ofMinutes(65)).toString());
    assertExportedOnce(succeeded, this::exportedToS3);
  }

  private void awaitPodRunning(String runId) {
    org.awaitility.Awaitility.await("pod of " + runId + " running")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                cluster
                    .client()
                    .pods()
                    .inNamespace(cluster.namespace())
                    .withLabel("job-name", runId)
                    .list()
                    .getItems()
                    .stream()
                    .anyMatch(p -> "Running".equals(p.getStatus().getPhase())));
  }

  /**
   * A scheduled time of an hourly job, {@code hours} hours before the one half an hour from now:
   * the CronJob's own next run is then never during the test.
   */
  private static Instant hoursAgo(int hours) {
    return Instant.now()
        .truncatedTo(ChronoUnit.MINUTES)
        .plus(Duration.ofMinutes(30))
        .minus(Duration.ofHours(hours));
  }

  /** An hourly job at {@code at}'s minute, exporting interactions SinceLastRun. */
  private static ExportJob hourly(String name, Instant at, String settleTime) {
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

  private RunRecord scheduledRun(String name, Instant at) {
    return finished(name, cluster.startScheduledRun(name, at));
  }

  private RunRecord finished(String name, String id) {
    return cluster.awaitRun(name, id);
  }

  private dev.cdds.operator.api.ExportJobStatus status(String name) {
    return cluster.jobs().withName(name).get().getStatus();
  }

  /**
   * The runs' files together hold each row dated inside their windows, taken together, once, and
   * nothing else.
   */
  private void assertExportedOnce(String name, List<RunRecord> runs) throws Exception {
    assertExportedOnce(runs, run -> exportedIds(name, run));
  }

  /** What a run's files hold, wherever they are. */
  private interface RunFiles {
    List<Long> ids(RunRecord run) throws IOException;
  }

  private void assertExportedOnce(List<RunRecord> runs, RunFiles files) throws Exception {
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

  private List<Long> exportedIds(String name, RunRecord run) throws IOException {
    Path runDir = cluster.claim().resolve(cluster.namespace()).resolve(name).resolve(run.id);
    Manifest manifest = Manifest.parse(Files.readAllBytes(runDir.resolve(Manifest.FILE)));
    List<Long> ids = new ArrayList<>();
    for (PartFile file : manifest.files()) {
      ids.addAll(ids(Files.newInputStream(runDir.resolve(file.name()))));
    }
    return ids;
  }

  private List<Long> exportedToS3(RunRecord run) throws IOException {
    String manifestKey = run.manifest.substring("s3://soak/".length());
    String folder = manifestKey.substring(0, manifestKey.lastIndexOf('/') + 1);
    Manifest manifest = Manifest.parse(s3.read("soak", manifestKey));
    List<Long> ids = new ArrayList<>();
    for (PartFile file : manifest.files()) {
      ids.addAll(ids(new java.io.ByteArrayInputStream(s3.read("soak", folder + file.name()))));
    }
    return ids;
  }

  /** The ids of a gzipped JSON-lines part. */
  private static List<Long> ids(InputStream part) throws IOException {
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
  private void insertEvents(Instant from, Instant to, int count) throws SQLException {
    long step = Duration.between(from, to).toMillis() / count;
    try (var db = postgres.connect()) {
      for (int i = 0; i < count; i++) {
        insertEvent(db, nextId.incrementAndGet(), from.plusMillis(i * step));
      }
      insertEvent(db, nextId.incrementAndGet(), to);
    }
  }

  private static void insertEvent(Connection db, long id, Instant at) throws SQLException {
    try (var insert =
        db.prepareStatement(
            "INSERT INTO interactions (id, media_type, direction, status, started_at, tenant_id)"
                + " VALUES (?, 'chat', 'inbound', 'completed', ?::timestamptz, 1)")) {
      insert.setLong(1, id);
      insert.setString(2, at.toString());
      insert.executeUpdate();
    }
  }

  private void setSourcePassword(String password) {
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

  private InProcessPlugin plugin() {
    return new InProcessPlugin(cluster.controlPlane().kubeconfig(), cluster.namespace());
  }
}
