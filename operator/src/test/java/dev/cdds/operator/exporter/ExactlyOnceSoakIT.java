package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.S3Server;
import dev.cdds.operator.api.Destination;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.plugin.InProcessPlugin;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import dev.cdds.operator.testing.S3Destinations;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly once through faults: the soak of consecutive runs, in a class of its own so that it runs
 * beside the other tests of consecutive runs (RunTilingIT) rather than after them.
 */
// Classes start longest first (operator/pom.xml orders them): this one, about 6 minutes on 2 busy
// cores, starts first, beside the others, not alone at the end.
@Order(1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactlyOnceSoakIT {
  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.running("soak", OperatorUnderTest.realExporter());

  private TilingFixture source;

  @BeforeAll
  void startSource() throws Exception {
    source = TilingFixture.start(cluster, "soak");
  }

  @AfterAll
  void stopSource() throws Exception {
    source.close();
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
    Instant first = TilingFixture.hoursAgo(times);
    var job = TilingFixture.hourly("soak", first, "5m");
    // Failures here are injected on purpose: never suspend the job for them.
    job.getSpec().suspendAfterFailures = 0;
    cluster
        .client()
        .resource(S3Server.credentialsSecret("soak-bucket"))
        .inNamespace(cluster.namespace())
        .createOr(existing -> existing.update());
    job.getSpec().output = new Output();
    job.getSpec().output.destination = new Destination();
    job.getSpec().output.destination.s3 =
        S3Destinations.of(source.s3, "soak", "cdds/", "soak-bucket");
    cluster.jobs().resource(job).create();
    source.insertEvents(first.minus(Duration.ofHours(2)), first, 20);
    long started = System.nanoTime();
    Map<String, Integer> faults = new java.util.TreeMap<>();
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      Instant at = first.plus(Duration.ofHours(i));
      // Rows of this hour arrive before its run, some dated inside the settle time before it.
      source.insertEvents(at.minus(Duration.ofMinutes(55)), at, 6);
      String fault =
          List.of("none", "none", "none", "none", "none", "login", "restart", "kill", "s3")
              .get(random.nextInt(9));
      faults.merge(fault, 1, Integer::sum);
      if (fault.equals("login")) {
        source.setSourcePassword("not-the-password");
      } else if (fault.equals("s3")) {
        source.s3.stop();
      }
      String id = cluster.startScheduledRun("soak", at);
      try {
        if (fault.equals("restart")) {
          awaitPodRunning(id);
          source.postgres.restart();
        } else if (fault.equals("kill")) {
          awaitPodRunning(id);
          cluster
              .client()
              .pods()
              .inNamespace(cluster.namespace())
              .withLabel("job-name", id)
              .delete();
        }
        runs.add(cluster.awaitRun("soak", id));
      } finally {
        if (fault.equals("login")) {
          source.setSourcePassword(PostgresServer.PASSWORD);
        } else if (fault.equals("s3")) {
          source.s3.start();
        }
      }
    }
    source.insertEvents(first.plus(Duration.ofHours(times - 1)), Instant.now(), 6);
    var manual =
        new InProcessPlugin(cluster.controlPlane().kubeconfig(), cluster.namespace())
            .run("run", "soak");
    assertThat(manual.exit()).as(manual.err()).isZero();
    runs.add(cluster.awaitRun("soak", manual.out().split(" ")[1]));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    List<RunRecord> succeeded = runs.stream().filter(r -> r.result == RunResult.Succeeded).toList();
    long failed = runs.size() - succeeded.size();
    org.slf4j.LoggerFactory.getLogger(ExactlyOnceSoakIT.class)
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
    source.assertExportedOnce(succeeded, this::exportedToS3);
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

  private List<Long> exportedToS3(RunRecord run) throws IOException {
    String manifestKey = run.manifest.substring("s3://soak/".length());
    String folder = manifestKey.substring(0, manifestKey.lastIndexOf('/') + 1);
    Manifest manifest = Manifest.parse(source.s3.read("soak", manifestKey));
    List<Long> ids = new ArrayList<>();
    for (PartFile file : manifest.files()) {
      ids.addAll(
          TilingFixture.ids(
              new java.io.ByteArrayInputStream(source.s3.read("soak", folder + file.name()))));
    }
    return ids;
  }
}
