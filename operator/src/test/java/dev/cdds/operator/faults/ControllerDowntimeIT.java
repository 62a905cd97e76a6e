package dev.cdds.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

/** A scheduled time that passes while the controllers are down is recorded, never lost. */
// Alone: it stops the shared kube-controller-manager.
@Isolated
class ControllerDowntimeIT {
  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.namespaceOnly("downtime");

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  void runDueWhileTheCronJobControllerIsDownIsRecordedAsMissed() throws Exception {
    Instant due =
        Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);

    try (var operator =
        OperatorUnderTest.start(
            cluster.client(),
            cluster.namespace(),
            "downtime",
            OperatorUnderTest.settings(DEADLINE))) {
      cluster.jobs().resource(ExportJobs.daily("missed", due)).create();
      cluster
          .jobs()
          .withName("missed")
          .waitUntilCondition(
              j -> j.getStatus() != null && j.getStatus().nextStartsAt != null,
              60,
              TimeUnit.SECONDS);
      cluster.controlPlane().stopControllerManager();
      try {
        var recorded =
            cluster
                .jobs()
                .withName("missed")
                .waitUntilCondition(
                    j -> j.getStatus().history != null,
                    Duration.between(Instant.now(), due.plus(DEADLINE)).toSeconds() + 60,
                    TimeUnit.SECONDS);

        assertThat(recorded.getStatus().history)
            .singleElement()
            .satisfies(
                run -> {
                  assertThat(run.result).isEqualTo(RunResult.Missed);
                  assertThat(run.scheduledAt).isEqualTo(due.toString());
                  assertThat(run.message).contains("not started within 20 s");
                });
        assertThat(
                OperatorUnderTest.eventReasons(cluster.client(), cluster.namespace(), "missed")
                    .stream()
                    .filter("RunMissed"::equals))
            .hasSize(1);
      } finally {
        cluster.controlPlane().startControllerManager();
      }
    }
  }
}
