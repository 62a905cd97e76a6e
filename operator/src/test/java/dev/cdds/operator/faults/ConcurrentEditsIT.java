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
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 100 edits, suspends and resumes from 10 clients at once, racing with each other and with the
 * operator's status writes: each is a read-modify-write carrying the resourceVersion it read, so
 * the API server refuses a stale one (409) and its writer reads again and retries; none is lost,
 * and once things settle each job's CronJob and status follow the last write the API server
 * accepted. The operator never writes a spec.
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
  void conflictingUpdatesAreRetriedByTheirWritersAndTheLastAcceptedWriteWins() throws Exception {
    // Hours at least three away from now, so that no run becomes due during the test.
    int baseHour = ZonedDateTime.now(ZoneOffset.UTC).plusHours(3).getHour();
    for (int i = 0; i < JOBS; i++) {
      var schedule = new Schedule();
      schedule.run = RunMode.Daily;
      schedule.time = String.format("%02d:00", baseHour);
      cluster.jobs().resource(ExportJobs.job("race-" + i, schedule)).create();
    }
    Map<String, Edit> last = new ConcurrentHashMap<>();
    var conflicts = new AtomicInteger();
    var accepted = new AtomicInteger();
    try (OperatorRuntime operator = cluster.start("races")) {
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> edits = new ArrayList<>();
      // Every client's first edit starts from the same read of race-0: all but one must conflict.
      var everyoneHasRead = new CyclicBarrier(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        var random = new SplittableRandom(c);
        edits.add(
            pool.submit(
                () -> {
                  ExportJob stale = cluster.jobs().withName("race-0").get();
                  everyoneHasRead.await(30, TimeUnit.SECONDS);
                  for (int e = 0; e < EDITS_PER_CLIENT; e++) {
                    String name = e == 0 ? "race-0" : "race-" + random.nextInt(JOBS);
                    boolean suspend = random.nextBoolean();
                    int hour = (baseHour + random.nextInt(6)) % 24;
                    int minute = random.nextInt(60);
                    ExportJob current = e == 0 ? stale : cluster.jobs().withName(name).get();
                    ExportJob edited;
                    // Read, change, write with the resourceVersion read; on a conflict, again.
                    while (true) {
                      current.getSpec().suspend = suspend;
                      current.getSpec().schedule.time = String.format("%02d:%02d", hour, minute);
                      try {
                        edited = cluster.jobs().resource(current).update();
                        break;
                      } catch (KubernetesClientException conflict) {
                        if (conflict.getCode() != 409) {
                          throw conflict;
                        }
                        conflicts.incrementAndGet();
                        current = cluster.jobs().withName(name).get();
                      }
                    }
                    accepted.incrementAndGet();
                    var edit =
                        new Edit(
                            Long.parseLong(edited.getMetadata().getResourceVersion()),
                            suspend,
                            hour,
                            minute);
                    last.merge(
                        name, edit, (x, y) -> x.resourceVersion() > y.resourceVersion() ? x : y);
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
      assertThat(conflicts.get())
          .as("conflicts met and retried")
          .isGreaterThanOrEqualTo(CLIENTS - 1);
      assertThat(accepted.get()).as("no edit lost").isEqualTo(CLIENTS * EDITS_PER_CLIENT);
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
