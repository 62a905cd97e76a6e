package dev.cdds.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.operator.testing.ControlPlaneExtension;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * etcd refuses objects over about 1.5 MiB; the status at historyLimit 100, with every string at the
 * longest the schema allows, stays under 256 KiB and is accepted by the API server.
 */
@ExtendWith(ControlPlaneExtension.class)
class StatusSizeIT {
  static final int LIMIT_BYTES = 256 * 1024;
  private static final String TIME = "2026-12-31T23:59:59.999999999+14:00";

  private final ControlPlane controlPlane;

  StatusSizeIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void worstCaseStatusFitsAndIsAccepted() throws Exception {
    controlPlane.installCrds();
    String namespace = TestNamespaces.create(controlPlane.client(), "status-size");
    var jobs = controlPlane.client().resources(ExportJob.class).inNamespace(namespace);
    var job = new ExportJob();
    job.getMetadata().setName("worst-case");
    job.setSpec(new ExportJobSpec());
    job.getSpec().title = "t".repeat(128);
    job.getSpec().historyLimit = 100;
    job.getSpec().source = new Source();
    job.getSpec().source.system = "ContactHistory";
    job.getSpec().source.type = SourceType.Interaction;
    job.getSpec().schedule = new Schedule();
    job.getSpec().schedule.run = RunMode.Hourly;
    job.getSpec().schedule.everyHours = 1;
    job.getSpec().schedule.minute = 0;
    jobs.resource(job).create();

    ExportJobStatus status = worstCase();
    int bytes = Serialization.asJson(status).getBytes(StandardCharsets.UTF_8).length;
    var stored =
        jobs.withName("worst-case")
            .editStatus(
                j -> {
                  j.setStatus(status);
                  return j;
                });

    assertThat(bytes).isLessThan(LIMIT_BYTES);
    assertThat(stored.getStatus().history).hasSize(100);
    System.out.printf("worst-case status at historyLimit 100: %d bytes%n", bytes);
  }

  private static ExportJobStatus worstCase() {
    var status = new ExportJobStatus();
    status.observedGeneration = Long.MAX_VALUE;
    status.state = ExportJobState.Suspended;
    status.lastStartedAt = TIME;
    status.nextStartsAt = TIME;
    status.conditions = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      var c = new ExportJobCondition();
      c.type = (i + "c").repeat(32);
      c.status = "Unknown";
      c.reason = "R".repeat(128);
      c.message = "m".repeat(1024);
      c.lastTransitionTime = TIME;
      c.observedGeneration = Long.MAX_VALUE;
      status.conditions.add(c);
    }
    status.currentRun = new CurrentRun();
    status.currentRun.id = "r".repeat(63);
    status.currentRun.scheduledAt = TIME;
    status.currentRun.startedAt = TIME;
    status.currentRun.progress = 100;
    status.currentRun.recordsDone = Long.MAX_VALUE;
    status.currentRun.recordsTotal = Long.MAX_VALUE;
    status.currentRun.bytes = Long.MAX_VALUE;
    status.currentRun.files = Integer.MAX_VALUE;
    status.currentRun.estimatedCompletionAt = TIME;
    status.history = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      var run = new RunRecord();
      run.id = String.format("%063d", i);
      run.scheduledAt = TIME;
      run.startedAt = TIME;
      run.finishedAt = TIME;
      run.windowStart = TIME;
      run.windowEnd = TIME;
      run.result = RunResult.Cancelled;
      run.records = Long.MAX_VALUE;
      run.bytes = Long.MAX_VALUE;
      run.files = Integer.MAX_VALUE;
      run.attempts = Integer.MAX_VALUE;
      run.manifest = "s".repeat(512);
      run.message = "m".repeat(512);
      status.history.add(run);
    }
    return status;
  }
}
