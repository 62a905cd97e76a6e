package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With nothing changing, the operator writes nothing: no object of ours gets a new version. */
class SteadyStateIT {
  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.namespaceOnly("steady");

  @Test
  void noWritesForSixtySecondsWhenNothingChanges() throws Exception {
    // Times at least three hours away, so that no run is due during the test.
    String later =
        Instant.now()
            .plus(Duration.ofHours(3))
            .atOffset(ZoneOffset.UTC)
            .toLocalTime()
            .withSecond(0)
            .withNano(0)
            .toString();
    try (var operator = cluster.start("steady")) {
      cluster.jobs().resource(ExportJobs.daily("daily", later, "UTC")).create();
      // A partitioned run's CronJob holds an Indexed Job with a pod failure policy.
      var split = ExportJobs.daily("split", later, "UTC");
      split.getSpec().output = new Output();
      split.getSpec().output.parallelism = 3;
      cluster.jobs().resource(split).create();
      var suspended = ExportJobs.daily("suspended", later, "Europe/Paris");
      suspended.getSpec().suspend = true;
      cluster.jobs().resource(suspended).create();
      var waiting = ExportJobs.once("waiting");
      waiting.getSpec().schedule.startAt = Instant.now().plus(Duration.ofDays(2)).toString();
      cluster.jobs().resource(waiting).create();
      for (String name : new String[] {"daily", "split", "suspended", "waiting"}) {
        cluster
            .jobs()
            .withName(name)
            .waitUntilCondition(
                j -> j.getStatus() != null && ExportJobs.hasCondition(j, "Ready", "True", null),
                60,
                TimeUnit.SECONDS);
      }
      Map<String, String> before = versions();
      int events =
          cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems().size();

      await()
          .during(Duration.ofSeconds(60))
          .atMost(Duration.ofSeconds(75))
          .untilAsserted(
              () ->
                  assertThat(versions())
                      .as("resourceVersions while nothing changed (kind/name)")
                      .isEqualTo(before));

      assertThat(before).hasSizeGreaterThanOrEqualTo(4 + 3 + 12);
      assertThat(
              cluster
                  .client()
                  .batch()
                  .v1()
                  .cronjobs()
                  .inNamespace(cluster.namespace())
                  .withName("split")
                  .get()
                  .getSpec()
                  .getJobTemplate()
                  .getSpec()
                  .getCompletionMode())
          .isEqualTo("Indexed");
      assertThat(cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems())
          .hasSize(events);
    }
  }

  /** resourceVersion of every ExportJob and of every object the operator made for them. */
  private static Map<String, String> versions() {
    Map<String, String> versions = new TreeMap<>();
    Stream.<HasMetadata>concat(
            cluster
                .client()
                .resources(ExportJob.class)
                .inNamespace(cluster.namespace())
                .list()
                .getItems()
                .stream(),
            Stream.of(
                    cluster.client().batch().v1().cronjobs(),
                    cluster.client().serviceAccounts(),
                    cluster.client().rbac().roles(),
                    cluster.client().rbac().roleBindings())
                .flatMap(
                    op ->
                        op
                            .inNamespace(cluster.namespace())
                            .withLabel("cdds.dev/exportjob")
                            .list()
                            .getItems()
                            .stream()
                            .map(HasMetadata.class::cast)))
        .forEach(
            o ->
                versions.put(
                    o.getKind() + "/" + o.getMetadata().getName(),
                    o.getMetadata().getResourceVersion()));
    return versions;
  }
}
