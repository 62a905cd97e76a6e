package dev.cdds.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With nothing changing, the operator writes nothing: no object of ours gets a new version. */
@ExtendWith(ControlPlaneExtension.class)
class SteadyStateIT {
  private final ControlPlane controlPlane;

  SteadyStateIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void noWritesForSixtySecondsWhenNothingChanges() throws Exception {
    var client = controlPlane.client();
    String namespace = OperatorUnderTest.readyNamespace(controlPlane, "steady");
    var jobs = client.resources(ExportJob.class).inNamespace(namespace);
    // Times at least three hours away, so that no run is due during the test.
    String later =
        Instant.now()
            .plus(Duration.ofHours(3))
            .atOffset(ZoneOffset.UTC)
            .toLocalTime()
            .withSecond(0)
            .withNano(0)
            .toString();
    try (var operator = OperatorUnderTest.start(client, namespace, "steady")) {
      jobs.resource(ExportJobs.daily("daily", later, "UTC")).create();
      var suspended = ExportJobs.daily("suspended", later, "Europe/Paris");
      suspended.getSpec().suspend = true;
      jobs.resource(suspended).create();
      var waiting = ExportJobs.once("waiting");
      waiting.getSpec().schedule.startAt = Instant.now().plus(Duration.ofDays(2)).toString();
      jobs.resource(waiting).create();
      for (String name : new String[] {"daily", "suspended", "waiting"}) {
        jobs.withName(name)
            .waitUntilCondition(
                j -> j.getStatus() != null && ExportJobs.hasCondition(j, "Ready", "True", null),
                60,
                TimeUnit.SECONDS);
      }
      Map<String, String> before = versions(namespace);
      int events = client.v1().events().inNamespace(namespace).list().getItems().size();

      await()
          .during(Duration.ofSeconds(60))
          .atMost(Duration.ofSeconds(75))
          .until(() -> versions(namespace).equals(before));

      assertThat(before).hasSizeGreaterThanOrEqualTo(3 + 2 + 9);
      assertThat(client.v1().events().inNamespace(namespace).list().getItems()).hasSize(events);
    }
  }

  /** resourceVersion of every ExportJob and of every object the operator made for them. */
  private Map<String, String> versions(String namespace) {
    var client = controlPlane.client();
    Map<String, String> versions = new TreeMap<>();
    Stream.<HasMetadata>concat(
            client.resources(ExportJob.class).inNamespace(namespace).list().getItems().stream(),
            Stream.of(
                    client.batch().v1().cronjobs(),
                    client.serviceAccounts(),
                    client.rbac().roles(),
                    client.rbac().roleBindings())
                .flatMap(
                    op ->
                        op
                            .inNamespace(namespace)
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
