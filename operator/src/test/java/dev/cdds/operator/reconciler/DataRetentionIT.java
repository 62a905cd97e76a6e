package dev.cdds.operator.reconciler;

import static dev.cdds.operator.testing.ExportJobs.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.Destination;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.RetentionStatus;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.runcontract.FieldManagers;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import dev.cdds.operator.testing.S3Destinations;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Expiry driven by the operator, through real prune pods against a real S3-compatible server: a job
 * that no longer runs still has its expired runs deleted, a failure is reported and retried.
 */
@ExtendWith(ControlPlaneExtension.class)
class DataRetentionIT {
  private final ControlPlane controlPlane;
  private final KubernetesClient client;

  DataRetentionIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.client();
  }

  @Test
  void anExpiredRunOfASuspendedJobIsDeletedByAPruneJobThroughAnOutageAndMarkedExpired()
      throws Exception {
    Path work = WorkDirectory.path();
    try (var s3 = S3Server.start(work, "s3-retention-operator")) {
      controlPlane.installCrds();
      String namespace = TestNamespaces.create(client, "retention");
      OperatorUnderTest.prepareNamespace(client, namespace);
      client.resource(S3Server.credentialsSecret("bucket")).inNamespace(namespace).create();
      var job = ExportJobs.daily("trimmed", "05:00", "UTC");
      job.getSpec().suspend = true;
      job.getSpec().output = new Output();
      job.getSpec().output.destination = new Destination();
      job.getSpec().output.destination.s3 = S3Destinations.of(s3, "exports", "cdds/", "bucket");
      var jobs = client.resources(ExportJob.class).inNamespace(namespace);
      jobs.resource(job).create();
      // A run 40 days old, in history and at the destination, as an earlier export left it.
      Instant scheduledAt =
          Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.MINUTES);
      String runId = RunIds.of("trimmed", scheduledAt);
      String folder = "cdds/" + namespace + "/trimmed/" + runId + "/";
      s3.write("exports", folder + "part-00000.jsonl.gz", "old".getBytes(StandardCharsets.UTF_8));
      s3.write("exports", folder + "manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
      jobs.withName("trimmed")
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              """
              {"status": {
                "history": [{"id": "%s", "scheduledAt": "%s", "result": "Succeeded", "files": 1}]}}
              """
                  .formatted(runId, scheduledAt));
      // What that export's pod reported, under the field manager export and prune pods use.
      var report = new ExportJob();
      report.getMetadata().setName("trimmed");
      report.getMetadata().setNamespace(namespace);
      report.setStatus(new ExportJobStatus());
      report.getStatus().retention = new RetentionStatus();
      report.getStatus().retention.oldestKeptRun = scheduledAt.toString();
      report.getStatus().retention.keptRuns = 1;
      client
          .resource(report)
          .subresource("status")
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.SERVER_SIDE_APPLY)
                  .withFieldManager(FieldManagers.RETENTION)
                  .withForce(true)
                  .build());
      s3.stop();

      try (var operator =
          OperatorUnderTest.start(
              client, namespace, "retention", OperatorUnderTest.realExporter())) {
        ExportJob failing =
            await(namespace, j -> hasCondition(j, "Retention", "False", "PruneFailed"));

        assertThat(ExportJobs.condition(failing, "Retention").orElseThrow().message)
            .startsWith(
                "deleting expired runs in s3://exports/cdds/" + namespace + "/trimmed/: listing");
        assertThat(OperatorUnderTest.eventReasons(client, namespace, "trimmed"))
            .contains("PruneFailed");

        s3.start();
        ExportJob pruned =
            await(
                namespace,
                j ->
                    hasCondition(j, "Retention", "True", "UpToDate")
                        && Boolean.TRUE.equals(j.getStatus().history.get(0).expired));

        assertThat(s3.keys("exports", "cdds/" + namespace + "/")).isEmpty();
        RunRecord run = pruned.getStatus().history.get(0);
        assertThat(run.id).isEqualTo(runId);
        assertThat(pruned.getStatus().retention.keptRuns).isZero();
        assertThat(pruned.getStatus().retention.oldestKeptRun).isNull();
        assertThat(Instant.parse(pruned.getStatus().retention.deletedUpTo))
            .isAfterOrEqualTo(scheduledAt);
        assertThat(OperatorUnderTest.eventReasons(client, namespace, "trimmed"))
            .contains("RunExpired");
        List<Job> pruneJobs =
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/component", "prune")
                .list()
                .getItems();
        assertThat(pruneJobs).singleElement();
        var container = pruneJobs.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getArgs()).containsExactly("prune");
        assertThat(container.getEnv().stream().map(EnvVar::getName))
            .doesNotContain("CDDS_SOURCE_PASSWORD", "CDDS_SOURCE_URL");
        assertThat(pruned.getStatus().currentRun).isNull();
      }
    }
  }

  @Test
  void deletingAJobDeletesItsDataOnlyWhenItSaysSo() throws Exception {
    Path work = WorkDirectory.path();
    try (var s3 = S3Server.start(work, "s3-delete-data")) {
      controlPlane.installCrds();
      String namespace = TestNamespaces.create(client, "delete-data");
      OperatorUnderTest.prepareNamespace(client, namespace);
      client.resource(S3Server.credentialsSecret("bucket")).inNamespace(namespace).create();
      var jobs = client.resources(ExportJob.class).inNamespace(namespace);
      for (String name : List.of("doomed", "kept")) {
        var job = ExportJobs.daily(name, "05:00", "UTC");
        job.getSpec().output = new Output();
        job.getSpec().output.deleteDataWithJob = name.equals("doomed");
        job.getSpec().output.destination = new Destination();
        job.getSpec().output.destination.s3 = S3Destinations.of(s3, "exports", null, "bucket");
        jobs.resource(job).create();
        for (int daysAgo : new int[] {1, 2}) {
          String runId = RunIds.of(name, Instant.now().minus(Duration.ofDays(daysAgo)));
          s3.write(
              "exports",
              namespace + "/" + name + "/" + runId + "/part-00000.jsonl.gz",
              "data".getBytes(StandardCharsets.UTF_8));
        }
      }

      try (var operator =
          OperatorUnderTest.start(
              client, namespace, "delete-data", OperatorUnderTest.realExporter())) {
        await(namespace, "doomed", j -> j.hasFinalizer(DataDeletion.FINALIZER));
        await(namespace, "kept", j -> hasCondition(j, "Ready", "True", null));
        assertThat(jobs.withName("kept").get().getMetadata().getFinalizers()).isEmpty();

        jobs.withName("doomed").delete();
        jobs.withName("kept").delete();
        jobs.withName("doomed")
            .waitUntilCondition(java.util.Objects::isNull, 120, TimeUnit.SECONDS);

        assertThat(s3.keys("exports", namespace + "/doomed/")).isEmpty();
        assertThat(s3.keys("exports", namespace + "/kept/")).hasSize(2);
        assertThat(OperatorUnderTest.eventReasons(client, namespace, "doomed"))
            .contains("DataDeleted");
        assertThat(jobs.withName("kept").get()).isNull();
      }
    }
  }

  /**
   * The race of deleteDataWithJob: the ExportJob is deleted while its run is exporting. The run is
   * stopped before the prune lists the folder, so nothing it would have written after survives.
   */
  @Test
  void deletingAJobWhileItsRunExportsLeavesNoFileOfThatRun() throws Exception {
    controlPlane.installCrds();
    String namespace = TestNamespaces.create(client, "delete-racing");
    OperatorUnderTest.prepareNamespace(client, namespace);
    Path claim = controlPlane.node().claimDirectory(namespace, OperatorUnderTest.CLAIM);
    Files.createDirectories(claim);
    Files.writeString(claim.resolve("hold"), "");
    var jobs = client.resources(ExportJob.class).inNamespace(namespace);
    var job = ExportJobs.once("racing");
    job.getSpec().output = new Output();
    job.getSpec().output.deleteDataWithJob = true;
    jobs.resource(job).create();

    try (var operator = OperatorUnderTest.start(client, namespace, "delete-racing")) {
      String run =
          await(namespace, "racing", j -> j.getStatus() != null && j.getStatus().currentRun != null)
              .getStatus()
              .currentRun
              .id;
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.exists(claim.resolve(run).resolve("holding")));

      // As a person who means it: the deletion policy refuses it during a run otherwise.
      jobs.withName("racing")
          .edit(
              j -> {
                j.getMetadata().setAnnotations(java.util.Map.of("cdds.dev/force-delete", "true"));
                return j;
              });
      jobs.withName("racing").delete();
      jobs.withName("racing").waitUntilCondition(java.util.Objects::isNull, 120, TimeUnit.SECONDS);
      // Were the run still going, it would now finish and write its part and manifest.
      Files.writeString(claim.resolve("release"), "");
      client
          .pods()
          .inNamespace(namespace)
          .withLabel("job-name", run)
          .informOnCondition(
              pods ->
                  pods.stream()
                      .allMatch(
                          p -> List.of("Succeeded", "Failed").contains(p.getStatus().getPhase())))
          .get(60, TimeUnit.SECONDS);

      assertThat(claim.resolve(namespace).resolve("racing").resolve(run)).doesNotExist();
      assertThat(OperatorUnderTest.eventReasons(client, namespace, "racing"))
          .contains("RunStopped", "DataDeleted");
    }
  }

  private ExportJob await(String namespace, Predicate<ExportJob> condition) {
    return await(namespace, "trimmed", condition);
  }

  private ExportJob await(String namespace, String name, Predicate<ExportJob> condition) {
    return client
        .resources(ExportJob.class)
        .inNamespace(namespace)
        .withName(name)
        .waitUntilCondition(j -> j != null && condition.test(j), 120, TimeUnit.SECONDS);
  }
}
