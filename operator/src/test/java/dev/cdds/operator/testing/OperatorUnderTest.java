package dev.cdds.operator.testing;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.operator.reconciler.NotificationSettings;
import dev.cdds.operator.reconciler.OperatorRuntime;
import dev.cdds.operator.reconciler.OperatorSettings;
import dev.cdds.operator.runcontract.SourceNames;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator, in this JVM, watching one test namespace; export pods run {@link FakeExport}. */
public final class OperatorUnderTest {
  public static final String CLAIM = "exports";
  public static final String SOURCE_PASSWORD = "pg-s3cr3t-value";

  private static final Logger LOG = LoggerFactory.getLogger(OperatorUnderTest.class);

  private OperatorUnderTest() {}

  public static OperatorSettings settings() {
    return settings(Duration.ofHours(1));
  }

  public static OperatorSettings settings(Duration startingDeadline) {
    return settings(FakeExport.IMAGE + ":test", startingDeadline, 0, Duration.ofMinutes(10), 4);
  }

  /** The test settings with at most {@code perSource} runs of one source Secret at once. */
  public static OperatorSettings perSourceLimit(int perSource) {
    return settings(
        FakeExport.IMAGE + ":test", Duration.ofHours(1), 0, Duration.ofMinutes(10), perSource);
  }

  /** Settings whose export pods name an image no node has: they stay Pending. */
  public static OperatorSettings imageNoNodeHas(Duration pendingTimeout) {
    return settings("cdds-test/no-such-image:1", Duration.ofHours(1), 0, pendingTimeout, 4);
  }

  /** Settings whose export pods run the real exporter of the built jar. */
  public static OperatorSettings realExporter() {
    return realExporter(0);
  }

  /** The real exporter, and a failed export pod retried {@code backoffLimit} times. */
  public static OperatorSettings realExporter(int backoffLimit) {
    return settings(
        ControlPlane.OPERATOR_IMAGE + ":test",
        Duration.ofHours(1),
        backoffLimit,
        Duration.ofMinutes(10),
        4);
  }

  private static OperatorSettings settings(
      String image,
      Duration startingDeadline,
      int backoffLimit,
      Duration pendingTimeout,
      int perSource) {
    return new OperatorSettings(
        image,
        new ResourceRequirementsBuilder()
            .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
            .withLimits(Map.of("memory", new Quantity("256Mi")))
            .build(),
        Optional.of(CLAIM),
        startingDeadline,
        backoffLimit,
        Duration.ofHours(6),
        pendingTimeout,
        perSource,
        Duration.ZERO,
        Duration.ofSeconds(2),
        SourceNames.DOCUMENTED,
        new NotificationSettings(Duration.ofSeconds(1), Duration.ofMinutes(2)));
  }

  /** Runs with leader election in the namespace; losing leadership fails loudly in the log. */
  public static OperatorRuntime start(KubernetesClient client, String namespace, String identity)
      throws IOException {
    return start(client, namespace, identity, settings());
  }

  public static OperatorRuntime start(
      KubernetesClient client, String namespace, String identity, OperatorSettings settings)
      throws IOException {
    return OperatorRuntime.start(
        client.getConfiguration(),
        settings,
        Set.of(namespace),
        Optional.of(namespace),
        identity,
        0,
        () -> LOG.error("operator {} lost leadership while running", identity));
  }

  /** CRDs installed, a fresh namespace with a source Secret and the default claim: its name. */
  public static String readyNamespace(ControlPlane controlPlane, String prefix) throws IOException {
    controlPlane.installCrds();
    String namespace = TestNamespaces.create(controlPlane.client(), prefix);
    prepareNamespace(controlPlane.client(), namespace);
    return namespace;
  }

  /** Reasons of the Events recorded about ExportJob {@code name}, oldest first. */
  public static List<String> eventReasons(KubernetesClient client, String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  /** The source Secret and the default output claim the jobs of a test namespace use. */
  public static void prepareNamespace(KubernetesClient client, String namespace) {
    prepareNamespace(
        client, namespace, "jdbc:postgresql://127.0.0.1:5432/cdds", "exporter", SOURCE_PASSWORD);
  }

  /** The same, with the source Secret pointing at a real database. */
  public static void prepareNamespace(
      KubernetesClient client, String namespace, String url, String user, String password) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("cdds-source-contacthistory")
                .endMetadata()
                .withStringData(Map.of("url", url, "user", user, "password", password))
                .build())
        .inNamespace(namespace)
        .create();
    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(CLAIM)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build())
        .inNamespace(namespace)
        .create();
  }
}
