package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.RunDeletionRequest;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.testing.ExportJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which requested runs a prune Job deleted, and which are still to delete. */
class RequestedDeletionTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final String A = RunIds.of("reports", NOW.minusSeconds(3 * 86400));
  private static final String B = RunIds.of("reports", NOW.minusSeconds(2 * 86400));
  private static final String C = RunIds.of("reports", NOW.minusSeconds(86400));

  @Test
  void onlyRunsOfAPruneJobThatCompletedAreMarkedDeletedAndTheStatusReadStaysAsRead() {
    List<RunRecord> history = List.of(run(A), run(B), run(C));
    Job done = prune("reports-r1", "Complete", A);
    Job failed = prune("reports-r2", "Failed", B);
    Job running = prune("reports-r3", null, C);

    List<RunRecord> marked = RequestedDeletion.markDeleted(history, List.of(done, failed, running));

    assertThat(marked).extracting(r -> r.deleted).containsExactly(true, null, null);
    assertThat(history.get(0).deleted).isNull();
  }

  @Test
  void pendingAreTheRequestedRunsInHistoryNeitherDeletedNorInProgress() {
    ExportJob job = ExportJobs.daily("reports", "02:00", "UTC");
    String notInHistory = RunIds.of("reports", NOW);
    job.getMetadata()
        .setAnnotations(
            Map.of(
                RunDeletionRequest.ANNOTATION,
                RunDeletionRequest.value(List.of(A, B, C, notInHistory))));
    var status = new ExportJobStatus();
    RunRecord deleted = run(A);
    deleted.deleted = true;
    status.history = List.of(deleted, run(B), run(C));
    status.currentRun = new CurrentRun();
    status.currentRun.id = C;
    var observed = new Observed(job, NOW, List.of(), List.of(), Optional.empty(), List.of());

    assertThat(RequestedDeletion.pending(observed, status)).containsExactly(B);
  }

  private static RunRecord run(String id) {
    var run = new RunRecord();
    run.id = id;
    run.result = RunResult.Succeeded;
    return run;
  }

  private static Job prune(String name, String finished, String... runs) {
    var builder =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withArgs(PruneJobs.Purpose.requested(List.of(runs)).args())
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec();
    if (finished != null) {
      builder
          .withNewStatus()
          .addNewCondition()
          .withType(finished)
          .withStatus("True")
          .endCondition()
          .endStatus();
    }
    return builder.build();
  }
}
