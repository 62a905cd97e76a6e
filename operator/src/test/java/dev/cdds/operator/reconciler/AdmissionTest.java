package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.testing.ExportJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Instant SCHEDULED = Instant.parse("2026-11-26T02:00:00Z");
  private final Admission admission = new Admission(4, Duration.ZERO);

  @Test
  void aJobsJitterIsAFixedOffsetInsideTheSpreadDerivedFromItsUid() {
    ExportJob job = daily(UUID.randomUUID().toString(), "10m");

    Instant once = admission.notBefore(job, run(job, false));
    Instant again = new Admission(4, Duration.ZERO).notBefore(job, run(job, false));

    assertThat(once).isEqualTo(again).isBetween(SCHEDULED, SCHEDULED.plusSeconds(599));
  }

  @Test
  void jobsScheduledAtTheSameTimeStartSpreadOverTheJitter() {
    Set<Instant> starts = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ExportJob job = daily(UUID.randomUUID().toString(), "10m");
      starts.add(admission.notBefore(job, run(job, false)));
    }

    assertThat(starts).hasSizeGreaterThan(40);
  }

  @Test
  void manualRunsAndJobsWithoutJitterStartAtTheirTime() {
    ExportJob jittered = daily(UUID.randomUUID().toString(), "10m");
    ExportJob plain = daily(UUID.randomUUID().toString(), null);

    assertThat(admission.notBefore(jittered, run(jittered, true))).isEqualTo(Instant.MIN);
    assertThat(admission.notBefore(plain, run(plain, false))).isEqualTo(Instant.MIN);
    assertThat(new Admission(4, Duration.ofMinutes(5)).notBefore(plain, run(plain, false)))
        .as("the operator's default jitter")
        .isBetween(SCHEDULED, SCHEDULED.plusSeconds(299));
  }

  private static ExportJob daily(String uid, String jitter) {
    ExportJob job = ExportJobs.daily("daily", "02:00", "UTC");
    job.getMetadata().setUid(uid);
    job.getSpec().schedule.jitter = jitter;
    return job;
  }

  private static Job run(ExportJob job, boolean manual) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(RunIds.of(job.getMetadata().getName(), SCHEDULED))
        .withAnnotations(manual ? Map.of(ObjectLabels.MANUAL_RUN, "true") : Map.of())
        .endMetadata()
        .withNewSpec()
        .withSuspend(true)
        .endSpec()
        .build();
  }
}
