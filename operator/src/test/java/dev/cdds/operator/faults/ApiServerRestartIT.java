package dev.cdds.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.ImageLaunchers;
import dev.cdds.localcluster.LoopbackControlPlane;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.ProductImage;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.reconciler.NotificationSettings;
import dev.cdds.operator.reconciler.OperatorRuntime;
import dev.cdds.operator.reconciler.OperatorSettings;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * kube-apiserver stopped for a while and started again in the middle of a real export: the export
 * pod keeps exporting, its progress reports resume, and the run is recorded once, complete. The
 * control plane is one of its own (loopback etcd, kube-apiserver, kube-controller-manager), so that
 * its API server can be restarted without disturbing the other tests.
 */
// Alone: its export must outlast a kube-apiserver restart, timed for a machine not shared.
@Isolated
class ApiServerRestartIT {
  private static final long CONTACTS = 5_000;

  @Test
  void anExportRunningThroughAnApiServerRestartCompletesOnceWithItsProgressResumed()
      throws Exception {
    Path work = WorkDirectory.path();
    Path dir = work.resolve("apiserver-restart");
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    var launchers =
        new ImageLaunchers().asContainer(ControlPlane.OPERATOR_IMAGE, ProductImage.name());
    try (var postgres = PostgresServer.start(work, "postgres-apiserver-restart");
        var plane = LoopbackControlPlane.start(ControlPlane.binariesDirectory(), dir, launchers)) {
      try (var db = postgres.connect()) {
        SampleData.load(db, CONTACTS * 4, 21);
        // 15 ms a contact: the export takes over a minute, long enough to live through the restart.
        db.createStatement()
            .execute(
                "CREATE VIEW slow_contacts AS SELECT * FROM contacts"
                    + " WHERE pg_sleep(0.015) IS NOT NULL");
      }
      var client = plane.client();
      ControlPlane.installCrds(client);
      String namespace = TestNamespaces.create(client, "apiserver-restart");
      OperatorUnderTest.prepareNamespace(
          client, namespace, postgres.url(), PostgresServer.USER, PostgresServer.PASSWORD);
      var settings =
          new OperatorSettings(
              ControlPlane.OPERATOR_IMAGE + ":test",
              new ResourceRequirementsBuilder().build(),
              Optional.of(OperatorUnderTest.CLAIM),
              Duration.ofHours(1),
              0,
              Duration.ofHours(6),
              Duration.ofMinutes(10),
              4,
              Duration.ZERO,
              Duration.ofSeconds(2),
              SourceNames.parse("contacts: {table: slow_contacts}"),
              NotificationSettings.DEFAULT);
      var job = ExportJobs.once("survivor");
      job.getSpec().source.type = SourceType.Contact;
      job.getSpec().timeframe = new Timeframe();
      job.getSpec().timeframe.type = TimeframeType.All;
      var jobs = client.resources(ExportJob.class).inNamespace(namespace);

      // Without leader election: with it, an outage longer than the renew deadline (10 s) makes
      // the operator exit to be restarted, which OperatorRestartIT covers.
      try (var operator =
          OperatorRuntime.start(
              client.getConfiguration(),
              settings,
              Set.of(namespace),
              Optional.empty(),
              "only",
              0,
              () -> {})) {
        jobs.resource(job).create();
        long before =
            jobs.withName("survivor")
                .waitUntilCondition(
                    j ->
                        j.getStatus() != null
                            && j.getStatus().currentRun != null
                            && j.getStatus().currentRun.recordsDone != null
                            && j.getStatus().currentRun.recordsDone > 0,
                    120,
                    TimeUnit.SECONDS)
                .getStatus()
                .currentRun
                .recordsDone;

        plane.restartApiServer(Duration.ofSeconds(5));

        ExportJob resumed =
            jobs.withName("survivor")
                .waitUntilCondition(
                    j ->
                        j.getStatus().history != null
                            || (j.getStatus().currentRun != null
                                && j.getStatus().currentRun.recordsDone > before),
                    120,
                    TimeUnit.SECONDS);
        assertThat(resumed.getStatus().history)
            .as("the run went on reporting progress after the restart")
            .isNull();
        ExportJob done =
            jobs.withName("survivor")
                .waitUntilCondition(j -> j.getStatus().history != null, 180, TimeUnit.SECONDS);

        RunRecord run = done.getStatus().history.get(0);
        assertThat(done.getStatus().history).hasSize(1);
        assertThat(run.result).as(run.message).isEqualTo(RunResult.Succeeded);
        assertThat(run.records).isEqualTo(CONTACTS);
        assertThat(run.attempts).isEqualTo(1);
        assertThat(done.getStatus().currentRun).isNull();
        Path manifest =
            plane
                .node()
                .claimDirectory(namespace, OperatorUnderTest.CLAIM)
                .resolve(namespace)
                .resolve("survivor")
                .resolve(run.id)
                .resolve(Manifest.FILE);
        assertThat(Manifest.parse(Files.readAllBytes(manifest)).records()).isEqualTo(CONTACTS);
      }
    }
  }
}
