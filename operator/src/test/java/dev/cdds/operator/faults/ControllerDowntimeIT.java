package dev.cdds.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A scheduled time that passes while the controllers are down is recorded, never lost. */
@ExtendWith(ControlPlaneExtension.class)
class ControllerDowntimeIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private final ControlPlane controlPlane;

  ControllerDowntimeIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void runDueWhileTheCronJobControllerIsDownIsRecordedAsMissed() throws Exception {
    var client = controlPlane.client();
    String namespace = OperatorUnderTest.readyNamespace(controlPlane, "downtime");
    var jobs = client.resources(ExportJob.class).inNamespace(namespace);
    Instant due =
        Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);

    try (var operator =
        OperatorUnderTest.start(
            client, namespace, "downtime", OperatorUnderTest.settings(DEADLINE))) {
      jobs.resource(ExportJobs.daily("missed", due)).create();
      jobs.withName("missed")
          .waitUntilCondition(
              j -> j.getStatus() != null && j.getStatus().nextStartsAt != null,
              60,
              TimeUnit.SECONDS);
      controlPlane.stopControllerManager();
      try {
        var recorded =
            jobs.withName("missed")
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
                OperatorUnderTest.eventReasons(client, namespace, "missed").stream()
                    .filter("RunMissed"::equals))
            .hasSize(1);
      } finally {
        controlPlane.startControllerManager();
      }
    }
  }
}
