package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppliedCronJobTest {
  @Test
  void theHashDoesNotDependOnTheOrderOfAMapWhichAnotherJvmIteratesDifferently() {
    var labels = new LinkedHashMap<String, String>();
    labels.put("a", "1");
    labels.put("b", "2");
    var reversed = new LinkedHashMap<String, String>();
    reversed.put("b", "2");
    reversed.put("a", "1");

    assertThat(AppliedCronJob.hash(cronJob(labels, "0 3 * * *")))
        .isEqualTo(AppliedCronJob.hash(cronJob(reversed, "0 3 * * *")))
        .isNotEqualTo(AppliedCronJob.hash(cronJob(labels, "0 4 * * *")));
  }

  @Test
  void aCronJobIsCurrentWithItsHashUnlessEditedSinceThisProcessAppliedIt() {
    CronJob desired = cronJob(Map.of("a", "1"), "0 3 * * *");
    String hash = AppliedCronJob.hash(desired);
    Instant now = Instant.parse("2026-11-26T10:00:00Z");
    CronJob applied = AppliedCronJob.annotated(desired, hash, now);
    applied.getMetadata().setGeneration(4L);

    assertThat(AppliedCronJob.current(applied, hash, Optional.empty())).isTrue();
    assertThat(AppliedCronJob.current(applied, hash, Optional.of(4L))).isTrue();
    assertThat(AppliedCronJob.current(applied, hash, Optional.of(3L))).as("edited since").isFalse();
    assertThat(AppliedCronJob.current(applied, "other", Optional.empty())).isFalse();
    assertThat(AppliedCronJob.current(cronJob(Map.of(), "0 3 * * *"), hash, Optional.empty()))
        .as("made by an older operator: no hash")
        .isFalse();
    assertThat(AppliedCronJob.appliedAt(applied)).contains(now);
  }

  private static CronJob cronJob(Map<String, String> labels, String schedule) {
    return new CronJobBuilder()
        .withNewMetadata()
        .withName("job")
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withSchedule(schedule)
        .withNewJobTemplate()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("export")
        .withArgs(List.of("export"))
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .endJobTemplate()
        .endSpec()
        .build();
  }
}
