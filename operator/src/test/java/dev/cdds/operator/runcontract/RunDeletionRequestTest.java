package dev.cdds.operator.runcontract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.schedule.RunIds;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The annotation anyone who may patch a job can write: only that job's own run ids are read. */
class RunDeletionRequestTest {
  private static final Instant AT = Instant.parse("2026-11-20T02:00:00Z");

  @Test
  void onlyTheJobsOwnRunIdsAsTheOperatorSpellsThemAreRead() {
    String own = RunIds.of("reports", AT);
    String minute = own.substring("reports-".length());
    var job =
        job(
            "reports",
            String.join(
                " , ",
                own,
                "reports-" + "../../other/x",
                "other-" + minute,
                "reports-+" + minute,
                "reports-0" + minute,
                "reports--" + minute,
                "",
                "reports"));

    assertThat(RunDeletionRequest.of(job)).containsExactly(own);
    assertThat(RunDeletionRequest.isRunOf("reports", own)).isTrue();
    assertThat(RunDeletionRequest.isRunOf("report", own)).isFalse();
  }

  @Test
  void atMostAHundredRunsAreReadAndTheValueIsSorted() {
    String value =
        IntStream.range(0, 150)
            .mapToObj(i -> RunIds.of("big", AT.plusSeconds(60L * i)))
            .collect(Collectors.joining(","));

    assertThat(RunDeletionRequest.of(job("big", value))).hasSize(RunDeletionRequest.MAX_RUNS);
    assertThat(RunDeletionRequest.of(job("none", null))).isEmpty();
    assertThat(RunDeletionRequest.value(java.util.List.of("j-2", "j-1"))).isEqualTo("j-1,j-2");
  }

  private static ExportJob job(String name, String annotation) {
    var job = new ExportJob();
    job.getMetadata().setName(name);
    if (annotation != null) {
      job.getMetadata().setAnnotations(Map.of(RunDeletionRequest.ANNOTATION, annotation));
    }
    return job;
  }
}
