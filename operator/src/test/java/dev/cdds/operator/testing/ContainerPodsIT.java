package dev.cdds.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.operator.runcontract.PodEnv;
import dev.cdds.operator.runcontract.RestrictedPod;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pods of the project's image run as real containers on the process node, which enforces what a
 * kubelet does: memory limits, the pod's user, a read-only root filesystem, the non-root rule, and
 * the pod's own environment only. Each pod is created through the API server, as a Job would.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerPodsIT {
  private static final String IMAGE = ControlPlane.OPERATOR_IMAGE + ":test";

  private final ControlPlane controlPlane;
  private final KubernetesClient client;
  private String namespace;

  ContainerPodsIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.client();
  }

  @BeforeAll
  void namespace() {
    namespace = TestNamespaces.create(client, "containers");
  }

  @Test
  void anExportPodAllocatingMoreThanItsMemoryLimitIsOomKilled() {
    Pod pod =
        restrictedExportPod("greedy", "/export")
            .editSpec()
            .editFirstContainer()
            // The heap touched at start-up, 400 MiB, is more than the 256Mi the pod may use.
            .addNewEnv()
            .withName("JAVA_TOOL_OPTIONS")
            .withValue("-Xms400m -Xmx400m -XX:+AlwaysPreTouch")
            .endEnv()
            .withNewResources()
            .withLimits(Map.of("memory", new Quantity("256Mi")))
            .endResources()
            .endContainer()
            .endSpec()
            .build();

    ContainerStateTerminated end = runToTheEnd(pod);

    assertThat(end.getReason()).isEqualTo("OOMKilled");
    assertThat(end.getExitCode()).isEqualTo(137);
  }

  @Test
  void anExportPodWritingOutsideItsVolumesFailsOnTheReadOnlyRoot() {
    // Its output directory is not a volume: the root filesystem, read-only.
    ContainerStateTerminated end = runToTheEnd(restrictedExportPod("astray", "/data").build());

    assertThat(end.getExitCode()).isEqualTo(1);
    assertThat(end.getMessage())
        .contains("destination /data/" + namespace + "/astray/astray-29927584")
        .contains("Read-only file system");
  }

  @Test
  void aRootUserIsRefusedWhenThePodMustRunAsNonRoot() {
    Pod pod =
        restrictedExportPod("rooted", "/export")
            .editSpec()
            .withSecurityContext(
                new PodSecurityContextBuilder(RestrictedPod.pod()).withRunAsUser(0L).build())
            .endSpec()
            .build();
    client.resource(pod).inNamespace(namespace).create();

    Pod waiting =
        await(
            "rooted",
            p ->
                p.getStatus().getContainerStatuses().stream()
                    .anyMatch(
                        s ->
                            s.getState().getWaiting() != null
                                && "CreateContainerConfigError"
                                    .equals(s.getState().getWaiting().getReason())));

    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(
            waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
        .contains("non-root");
  }

  @Test
  void aPodRunsAsItsUserWithItsOwnEnvironmentOnly() throws Exception {
    // A variable of this JVM (Failsafe sets it) that must not reach the pod.
    assertThat(System.getenv()).containsKey("KUBE_API_TEST_OFFLINE_MODE");
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("introspective")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withSecurityContext(RestrictedPod.pod())
            .addNewContainer()
            .withName("show")
            .withImage(IMAGE)
            .withCommand("env")
            .withEnv(new EnvVar("OWN", "value", null))
            .withSecurityContext(RestrictedPod.container())
            .endContainer()
            .endSpec()
            .build();

    assertThat(runToTheEnd(pod).getExitCode()).isZero();

    String output = Files.readString(controlPlane.node().logOf(namespace, "introspective", "show"));
    Set<String> names =
        output
            .lines()
            .filter(l -> l.contains("="))
            .map(l -> l.substring(0, l.indexOf('=')))
            .collect(Collectors.toCollection(TreeSet::new));
    // The image's own (PATH, JAVA_TOOL_OPTIONS), the runtime's (HOME, HOSTNAME), kubelet's, the
    // pod's.
    assertThat(names)
        .containsAll(List.of("OWN", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"))
        .isSubsetOf(
            Arrays.asList(
                "PATH",
                "HOSTNAME",
                "HOME",
                "JAVA_TOOL_OPTIONS",
                "KUBERNETES_SERVICE_HOST",
                "KUBERNETES_SERVICE_PORT",
                "OWN"));
    assertThat(output).contains("HOSTNAME=introspective");
  }

  /** An export pod as the operator makes it (restricted, /tmp an emptyDir), no source to read. */
  private PodBuilder restrictedExportPod(String name, String outputDir) {
    Map<String, String> env =
        Map.of(
            PodEnv.SPEC,
            "{\"title\":\"t\",\"source\":{\"system\":\"ContactHistory\",\"type\":\"Contact\"},"
                + "\"schedule\":{\"run\":\"Once\"}}",
            PodEnv.NAMESPACE,
            namespace,
            PodEnv.EXPORTJOB,
            name,
            PodEnv.RUN_ID,
            name + "-29927584",
            PodEnv.SOURCE_URL,
            "jdbc:postgresql://127.0.0.1:1/none",
            PodEnv.SOURCE_USER,
            "u",
            PodEnv.SOURCE_PASSWORD,
            "p",
            PodEnv.OUTPUT_DIR,
            outputDir);
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(RestrictedPod.pod())
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewContainer()
        .withName("export")
        .withImage(IMAGE)
        .withArgs("export", "--progress=log")
        .withEnv(
            env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList())
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .withTerminationMessagePath(PodEnv.TERMINATION_LOG_PATH)
        .withSecurityContext(RestrictedPod.container())
        .endContainer()
        .endSpec();
  }

  private ContainerStateTerminated runToTheEnd(Pod pod) {
    client.resource(pod).inNamespace(namespace).create();
    Pod ended =
        await(
            pod.getMetadata().getName(),
            p ->
                "Succeeded".equals(p.getStatus().getPhase())
                    || "Failed".equals(p.getStatus().getPhase()));
    return ended.getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }

  private Pod await(String name, Predicate<Pod> condition) {
    return client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .waitUntilCondition(
            p -> p != null && p.getStatus() != null && condition.test(p), 120, TimeUnit.SECONDS);
  }
}
