package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Six jobs of one source due at once, with the operator's limit at two exports per source: never
 * more than two of their pods at a time, the others Queued without a pod, and all six succeed.
 */
class SourceLimitIT {
  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.running("limit", OperatorUnderTest.perSourceLimit(2));

  @Test
  void atMostTheLimitOfOneSourcesRunsGoAtOnceAndTheOthersWaitQueued() throws Exception {
    var claim = Files.createDirectories(cluster.claim());
    // Every run holds at half way until released: the first two must then be the only pods.
    Files.writeString(claim.resolve("hold"), "");
    Map<String, String> podPhases = new ConcurrentHashMap<>();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<String> names = new ArrayList<>();
    try (var watch =
        cluster
            .client()
            .pods()
            .inNamespace(cluster.namespace())
            .watch(
                new Watcher<Pod>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                    if (action == Action.DELETED
                        || "Succeeded".equals(phase)
                        || "Failed".equals(phase)) {
                      podPhases.remove(pod.getMetadata().getName());
                    } else {
                      podPhases.put(pod.getMetadata().getName(), String.valueOf(phase));
                    }
                    mostAtOnce.accumulateAndGet(podPhases.size(), Math::max);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      Instant due = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
      for (int i = 0; i < 6; i++) {
        String name = "same-source-" + i;
        names.add(name);
        cluster.jobs().resource(ExportJobs.daily(name, "07:30", "UTC")).create();
      }
      List<String> runs = new ArrayList<>();
      for (String name : names) {
        runs.add(cluster.startScheduledRun(name, due));
      }

      // Two hold, four wait as Queued, with no pod.
      List<ExportJob> queued = new ArrayList<>();
      for (String name : names) {
        var job =
            cluster
                .jobs()
                .withName(name)
                .waitUntilCondition(
                    j ->
                        j.getStatus() != null
                            && j.getStatus().currentRun != null
                            && (j.getStatus().state == ExportJobState.Queued
                                || j.getStatus().state == ExportJobState.Running),
                    60,
                    TimeUnit.SECONDS);
        if (job.getStatus().state == ExportJobState.Queued) {
          queued.add(job);
        }
      }
      await(() -> holding(claim) == 2);
      assertThat(queued).hasSizeGreaterThanOrEqualTo(4);
      assertThat(queued).allSatisfy(j -> assertThat(j.getStatus().currentRun.queued).isTrue());
      assertThat(
              OperatorUnderTest.eventReasons(
                  cluster.client(), cluster.namespace(), queued.get(0).getMetadata().getName()))
          .contains("RunQueued");

      Files.writeString(claim.resolve("release"), "");
      List<RunRecord> done = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        done.add(cluster.awaitRun(names.get(i), runs.get(i)));
      }

      assertThat(done).allSatisfy(r -> assertThat(r.result).isEqualTo(RunResult.Succeeded));
      assertThat(mostAtOnce.get()).as("export pods of the source at once").isEqualTo(2);
    } finally {
      Files.deleteIfExists(claim.resolve("hold"));
      Files.deleteIfExists(claim.resolve("release"));
    }
  }

  /** Runs holding at half way: FakeExport marks each with a file in its run folder. */
  private static long holding(java.nio.file.Path claim) throws java.io.IOException {
    try (var runs = Files.list(claim)) {
      return runs.filter(d -> Files.exists(d.resolve("holding"))).count();
    }
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(condition);
  }
}
