package dev.cdds.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.reconciler.OperatorRuntime;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 100 edits, suspends and resumes from 10 clients at once, racing with the operator's reconciles:
 * every edit succeeds (the operator never writes a spec, so no user sees a conflict), and once
 * things settle each job's CronJob and status follow the last write the API server accepted.
 */
class ConcurrentEditsIT {
  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.namespaceOnly("races");

  private static final int JOBS = 5;
  private static final int CLIENTS = 10;
  private static final int EDITS_PER_CLIENT = 10;

  /** What one accepted edit left: its resourceVersion orders it among the job's edits. */
  private record Edit(long resourceVersion, boolean suspend, int hour, int minute) {}

  @Test
  void theLastAcceptedWriteWinsAndNoEditFails() throws Exception {
    // Hours at least three away from now, so that no run becomes due during the test.
    int baseHour = ZonedDateTime.now(ZoneOffset.UTC).plusHours(3).getHour();
    for (int i = 0; i < JOBS; i++) {
      var schedule = new Schedule();
      schedule.run = RunMode.Daily;
      schedule.time = String.format("%02d:00", baseHour);
      cluster.jobs().resource(ExportJobs.job("race-" + i, schedule)).create();
    }
    Map<String, Edit> last = new ConcurrentHashMap<>();
    try (OperatorRuntime operator = cluster.start("races")) {
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> edits = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        var random = new SplittableRandom(c);
        edits.add(
            pool.submit(
                () -> {
                  for (int e = 0; e < EDITS_PER_CLIENT; e++) {
                    String name = "race-" + random.nextInt(JOBS);
                    boolean suspend = random.nextBoolean();
                    int hour = (baseHour + random.nextInt(6)) % 24;
                    int minute = random.nextInt(60);
                    ExportJob edited =
                        cluster
                            .jobs()
                            .withName(name)
                            .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                String.format(
                                    "{\"spec\":{\"suspend\":%b,\"schedule\":{\"time\":\"%02d:%02d\"}}}",
                                    suspend, hour, minute));
                    var edit =
                        new Edit(
                            Long.parseLong(edited.getMetadata().getResourceVersion()),
                            suspend,
                            hour,
                            minute);
                    last.merge(
                        name, edit, (a, b) -> a.resourceVersion() > b.resourceVersion() ? a : b);
                  }
                  return null;
                }));
      }
      for (Future<?> edit : edits) {
        edit.get();
      }
      pool.shutdown();

      await("every CronJob and status follows the last accepted edit")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (var entry : last.entrySet()) {
                  Edit edit = entry.getValue();
                  CronJob cron =
                      cluster
                          .client()
                          .batch()
                          .v1()
                          .cronjobs()
                          .inNamespace(cluster.namespace())
                          .withName(entry.getKey())
                          .get();
                  assertThat(cron.getSpec().getSuspend())
                      .as(entry.getKey())
                      .isEqualTo(edit.suspend());
                  assertThat(cron.getSpec().getSchedule())
                      .as(entry.getKey())
                      .isEqualTo(edit.minute() + " " + edit.hour() + " * * *");
                  ExportJob job = cluster.jobs().withName(entry.getKey()).get();
                  assertThat(job.getStatus().observedGeneration)
                      .isEqualTo(job.getMetadata().getGeneration());
                  assertThat(ExportJobs.condition(job, "Suspended").orElseThrow().status)
                      .isEqualTo(edit.suspend() ? "True" : "False");
                }
              });
      assertThat(last).hasSize(JOBS);
      for (ExportJob job : cluster.jobs().list().getItems()) {
        assertThat(job.getMetadata().getManagedFields())
            .as("the operator never writes a spec")
            .noneMatch(
                f ->
                    "cdds-operator".equals(f.getManager())
                        && f.getFieldsV1() != null
                        && f.getFieldsV1().getAdditionalProperties().containsKey("f:spec"));
      }
    }
  }
}
