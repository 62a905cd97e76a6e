package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.PostgresServer;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.plugin.InProcessPlugin;
import dev.cdds.operator.runcontract.StatusConditions;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
// Classes start longest first (operator/pom.xml orders them); the soak is ExactlyOnceSoakIT.
@Order(4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunTilingIT {
  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.running("tiling", OperatorUnderTest.realExporter());

  private TilingFixture source;

  @BeforeAll
  void startSource() throws Exception {
    source = TilingFixture.start(cluster, "tiling");
  }

  @AfterAll
  void stopSource() throws Exception {
    source.close();
  }

  /** spec.schedule.startImmediately: a run on creation, then the schedule, seamless. */
  @Test
  void anImmediateRunOnCreationAndTheNextScheduledRunExportEveryRowOnce() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // Hourly at a minute half an hour ahead: the previous scheduled time was half an hour ago.
    Instant t1 = now.plus(Duration.ofMinutes(30));
    var job = TilingFixture.hourly("immediate", t1, "5m");
    job.getSpec().schedule.startImmediately = true;
    source.insertEvents(now.minus(Duration.ofHours(3)), t1.plus(Duration.ofHours(1)), 40);

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
    source.assertExportedOnce("immediate", List.of(immediate, next));
    assertThat(plugin().run("history", "immediate").out()).contains("immediate");
  }

  @Test
  void scheduledManualAndScheduledRunsExportEveryRowOnce() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // Hourly at a minute half an hour ago: the last scheduled run was then, the next is ahead.
    Instant t1 = now.minus(Duration.ofMinutes(30));
    Instant t2 = t1.plus(Duration.ofHours(1));
    var job = TilingFixture.hourly("scheduled-manual", t1, "5m");
    cluster.jobs().resource(job).create();
    source.insertEvents(t1.minus(Duration.ofHours(3)), t2.plus(Duration.ofHours(1)), 40);

    RunRecord first = scheduledRun("scheduled-manual", t1);
    // Rows arriving between runs, dated from where the last window ended.
    source.insertEvents(Instant.parse(first.windowEnd), now, 10);
    var started = plugin().run("run", "scheduled-manual");
    assertThat(started.exit()).as(started.err()).isZero();
    String manualId = started.out().split(" ")[1];
    RunRecord manual = finished("scheduled-manual", manualId);
    source.insertEvents(Instant.parse(manual.windowEnd), t2, 10);
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
    source.assertExportedOnce("scheduled-manual", List.of(first, manual, second));
    assertThat(status("scheduled-manual").exportedThrough).isEqualTo(second.windowEnd);
    var history = plugin().run("history", "scheduled-manual");
    assertThat(history.out())
        .contains("manual")
        .contains(Instant.parse(manual.windowStart).toString().substring(11, 16));
  }

  @Test
  void aFailedRunsWindowIsExportedByTheNextRun() throws Exception {
    Instant t0 = TilingFixture.hoursAgo(3);
    var job = TilingFixture.hourly("failed-then-ok", t0, "0m");
    cluster.jobs().resource(job).create();
    source.insertEvents(t0.minus(Duration.ofHours(2)), t0.plus(Duration.ofHours(3)), 60);

    RunRecord ok = scheduledRun("failed-then-ok", t0);
    RunRecord failed;
    source.setSourcePassword("not-the-password");
    try {
      failed = scheduledRun("failed-then-ok", t0.plus(Duration.ofHours(1)));
    } finally {
      source.setSourcePassword(PostgresServer.PASSWORD);
    }
    RunRecord caughtUp = scheduledRun("failed-then-ok", t0.plus(Duration.ofHours(2)));

    assertThat(ok.result).as(ok.message).isEqualTo(RunResult.Succeeded);
    assertThat(failed.result).isEqualTo(RunResult.Failed);
    assertThat(failed.message).contains("password authentication failed");
    assertThat(caughtUp.result).as(caughtUp.message).isEqualTo(RunResult.Succeeded);
    assertThat(caughtUp.windowStart).isEqualTo(ok.windowEnd).isEqualTo(t0.toString());
    assertThat(caughtUp.windowEnd).isEqualTo(t0.plus(Duration.ofHours(2)).toString());
    source.assertExportedOnce("failed-then-ok", List.of(ok, caughtUp));
  }

  @Test
  void aCatchUpLongerThanMaxCatchUpExportsTheLatestPartAndReportsTheGap() throws Exception {
    Instant t0 = TilingFixture.hoursAgo(5);
    var job = TilingFixture.hourly("gap", t0, "0m");
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
    Instant t0 = TilingFixture.hoursAgo(2);
    var job = TilingFixture.hourly("late-row", t0, "10m");
    cluster.jobs().resource(job).create();
    source.insertEvents(t0.minus(Duration.ofHours(1)), t0.plus(Duration.ofHours(1)), 30);
    long lateId = source.nextId.incrementAndGet();
    RunRecord first;
    RunRecord second;
    // A transaction open across the first run, writing a row dated two minutes before it.
    try (Connection open = source.postgres.connect()) {
      open.setAutoCommit(false);
      TilingFixture.insertEvent(open, lateId, t0.minus(Duration.ofMinutes(2)));
      first = scheduledRun("late-row", t0);
      open.commit();
    }
    second = scheduledRun("late-row", t0.plus(Duration.ofHours(1)));

    assertThat(first.result).as(first.message).isEqualTo(RunResult.Succeeded);
    assertThat(second.result).as(second.message).isEqualTo(RunResult.Succeeded);
    assertThat(source.exportedIds("late-row", first)).doesNotContain(lateId);
    assertThat(source.exportedIds("late-row", second)).containsOnlyOnce(lateId);
    source.assertExportedOnce("late-row", List.of(first, second));
  }

  @Test
  void aRerunExportsThePastRunsWindowAgainAndLeavesTheSequenceAlone() throws Exception {
    Instant t0 = TilingFixture.hoursAgo(3);
    var job = TilingFixture.hourly("rerun", t0, "0m");
    cluster.jobs().resource(job).create();
    source.insertEvents(t0.minus(Duration.ofHours(2)), t0.plus(Duration.ofHours(2)), 30);
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
    assertThat(source.exportedIds("rerun", again))
        .isEqualTo(source.exportedIds("rerun", first))
        .isNotEmpty();
    assertThat(status("rerun").exportedThrough).isEqualTo(second.windowEnd);
    assertThat(plugin().run("history", "rerun").out()).contains("rerun of " + first.id);
    var unknown = plugin().run("rerun", "rerun-42");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("run rerun-42 is not in the history of rerun");
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

  private InProcessPlugin plugin() {
    return new InProcessPlugin(cluster.controlPlane().kubeconfig(), cluster.namespace());
  }
}
