package dev.cdds.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run that finishes while the operator is away is recorded once when it comes back. */
@ExtendWith(ControlPlaneExtension.class)
class OperatorRestartIT {
  private final ControlPlane controlPlane;

  OperatorRestartIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void operatorStoppedMidRunRecordsExactlyOneHistoryEntryAfterRestart() throws Exception {
    var client = controlPlane.client();
    String namespace = OperatorUnderTest.readyNamespace(controlPlane, "restart");
    var output =
        Files.createDirectories(
            controlPlane.node().claimDirectory(namespace, OperatorUnderTest.CLAIM));
    Files.writeString(output.resolve("hold"), "");
    var jobs = client.resources(ExportJob.class).inNamespace(namespace);

    String runId;
    try (var first = OperatorUnderTest.start(client, namespace, "first")) {
      jobs.resource(ExportJobs.once("survivor")).create();
      runId =
          jobs.withName("survivor")
              .waitUntilCondition(
                  j ->
                      j.getStatus() != null
                          && j.getStatus().currentRun != null
                          && j.getStatus().currentRun.progress != null,
                  90,
                  TimeUnit.SECONDS)
              .getStatus()
              .currentRun
              .id;
    }
    Files.writeString(output.resolve("release"), "");
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(runId)
        .waitUntilCondition(
            j ->
                j.getStatus() != null
                    && j.getStatus().getSucceeded() != null
                    && j.getStatus().getSucceeded() == 1,
            90,
            TimeUnit.SECONDS);

    try (var second = OperatorUnderTest.start(client, namespace, "second")) {
      var done =
          jobs.withName("survivor")
              .waitUntilCondition(j -> j.getStatus().history != null, 90, TimeUnit.SECONDS);

      assertThat(done.getStatus().history)
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.id).isEqualTo(runId);
                assertThat(run.result).isEqualTo(RunResult.Succeeded);
                assertThat(run.records).isEqualTo(42);
              });
      assertThat(done.getStatus().state).isEqualTo(ExportJobState.Suspended);
      assertThat(done.getStatus().currentRun).isNull();
      assertThat(
              client
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(namespace)
                  .withLabel("cdds.dev/exportjob", "survivor")
                  .list()
                  .getItems())
          .hasSize(1);
      assertThat(
              OperatorUnderTest.eventReasons(client, namespace, "survivor").stream()
                  .filter("RunSucceeded"::equals))
          .hasSize(1);
    }
  }
}
