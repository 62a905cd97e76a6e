package dev.cdds.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A run that finishes while the operator is away (killed with SIGKILL mid-run, no graceful
 * shutdown) is recorded once when another replica takes over.
 */
// Alone: lease timings: a busy machine must not decide who leads.
@Isolated
class OperatorRestartIT {
  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.namespaceOnly("restart");

  @Test
  void operatorKilledMidRunRecordsExactlyOneHistoryEntryAfterRestart() throws Exception {
    var output = Files.createDirectories(cluster.claim());
    Files.writeString(output.resolve("hold"), "");

    String runId;
    try (var first = cluster.startProcess("first")) {
      cluster.jobs().resource(ExportJobs.once("survivor")).create();
      runId =
          cluster
              .jobs()
              .withName("survivor")
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
      first.kill();
    }
    Files.writeString(output.resolve("release"), "");
    cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(cluster.namespace())
        .withName(runId)
        .waitUntilCondition(
            j ->
                j.getStatus() != null
                    && j.getStatus().getSucceeded() != null
                    && j.getStatus().getSucceeded() == 1,
            90,
            TimeUnit.SECONDS);

    try (var second = cluster.start("second")) {
      var done =
          cluster
              .jobs()
              .withName("survivor")
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
      assertThat(cluster.kubernetesJobsOf("survivor").list().getItems()).hasSize(1);
      assertThat(
              OperatorUnderTest.eventReasons(cluster.client(), cluster.namespace(), "survivor")
                  .stream()
                  .filter("RunSucceeded"::equals))
          .hasSize(1);
    }
  }
}
