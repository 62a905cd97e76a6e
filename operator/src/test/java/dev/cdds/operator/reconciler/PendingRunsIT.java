package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.Kubectl;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run whose pod cannot start (here: an image the node does not have) fails after the operator's
 * pending timeout with the pod's reason, instead of holding the job until its run timeout.
 */
class PendingRunsIT {
  // The pod's reason comes from the process node, one thread for every class's pods: with the
  // exporters' classes running beside this one it reached the pod after 10 s (the run then failed
  // as PodPending, a CI run of 2026-11-26). 30 s is the node's time to say it, not the product's.
  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.running(
          "pending", OperatorUnderTest.imageNoNodeHas(Duration.ofSeconds(30)));

  @Test
  void aRunWhosePodCannotStartFailsWithThePodsReasonAndTheJobCanBeDeleted() throws Exception {
    cluster.jobs().resource(ExportJobs.once("unpullable")).create();

    ExportJob ended =
        cluster
            .jobs()
            .withName("unpullable")
            .waitUntilCondition(
                j -> j.getStatus() != null && j.getStatus().history != null, 90, TimeUnit.SECONDS);

    var run = ended.getStatus().history.get(0);
    assertThat(run.result).isEqualTo(RunResult.Failed);
    assertThat(run.reason).isEqualTo("ImagePullBackOff");
    assertThat(run.message)
        .startsWith("the run's pod never started: ImagePullBackOff: ")
        .contains("cdds-test/no-such-image:1", "--pending-timeout");
    assertThat(ended.getStatus().currentRun).isNull();
    assertThat(OperatorUnderTest.eventReasons(cluster.client(), cluster.namespace(), "unpullable"))
        .contains("RunFailed");
    var deleted =
        new Kubectl(cluster.controlPlane())
            .run("delete", "exportjob", "unpullable", "-n", cluster.namespace(), "--wait=true");
    assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
  }
}
