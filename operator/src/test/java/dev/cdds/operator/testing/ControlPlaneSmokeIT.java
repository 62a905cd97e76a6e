package dev.cdds.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.TestNamespaces;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the test rig: real Job, CronJob and garbage-collector controllers, pods run locally. */
@ExtendWith(ControlPlaneExtension.class)
class ControlPlaneSmokeIT {
  private final ControlPlane controlPlane;
  private final KubernetesClient client;
  private String namespace;

  ControlPlaneSmokeIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.client();
  }

  @BeforeEach
  void namespace() {
    namespace = TestNamespaces.create(client, "smoke");
  }

  @Test
  void apiServerReportsItsRealVersion() {
    assertThat(client.getKubernetesVersion().getGitVersion()).matches("v1\\.3\\d\\.\\d+");
  }

  @Test
  void jobWhosePodExitsZeroCompletes() {
    Job job = client.resource(job("ok", "exit 0", 0)).inNamespace(namespace).create();

    Job done = waitForJobCondition(job, "Complete");

    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
  }

  @Test
  void jobWhosePodExitsOneFailsAfterTwoPods() {
    Job job = client.resource(job("fails", "exit 1", 1)).inNamespace(namespace).create();

    Job failed = waitForJobCondition(job, "Failed");

    assertThat(failed.getStatus().getFailed()).isEqualTo(2);
    assertThat(podsOf("fails"))
        .hasSize(2)
        .allSatisfy(
            pod ->
                assertThat(
                        pod.getStatus()
                            .getContainerStatuses()
                            .get(0)
                            .getState()
                            .getTerminated()
                            .getExitCode())
                    .isEqualTo(1));
  }

  @Test
  void cronJobCreatesAJobWithinSeventySecondsAndTheGarbageCollectorRemovesIt() {
    var cronJob =
        client
            .resource(
                new CronJobBuilder()
                    .withNewMetadata()
                    .withName("every-minute")
                    .endMetadata()
                    .withNewSpec()
                    .withSchedule("* * * * *")
                    .withTimeZone("UTC")
                    .withNewJobTemplate()
                    .withNewSpec()
                    .withBackoffLimit(0)
                    .withTemplate(template("exit 0"))
                    .endSpec()
                    .endJobTemplate()
                    .endSpec()
                    .build())
            .inNamespace(namespace)
            .create();

    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .waitUntilCondition(
            j ->
                j != null
                    && j.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getUid().equals(cronJob.getMetadata().getUid())),
            70,
            TimeUnit.SECONDS);

    client.resource(cronJob).withTimeoutInMillis(0).delete();

    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .informOnCondition(List::isEmpty)
        .orTimeout(60, TimeUnit.SECONDS)
        .join();
  }

  @Test
  void podGetsEnvironmentVolumesTerminationMessageAndOnlyItsServiceAccountsRights()
      throws Exception {
    client
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .endMetadata()
                .withStringData(Map.of("password", "s3cr3t"))
                .build())
        .inNamespace(namespace)
        .create();
    client
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(
                    Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build())
        .inNamespace(namespace)
        .create();
    String kubectl = controlPlane.binary("kubectl").toString();
    String canListSecrets =
        kubectl
            + " --server=https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"
            + " --certificate-authority=/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
            + " --token=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)"
            + " get secrets -n $POD_NAMESPACE -o name";
    String script =
        "echo \"$PASSWORD $POD_NAME $POD_NAMESPACE\" > /data/out.txt;"
            + " if "
            + canListSecrets
            + "; then echo may-list-secrets > /dev/termination-log; exit 0;"
            + " else echo forbidden > /dev/termination-log; exit 3; fi";
    var template = template(script);
    var container = template.getSpec().getContainers().get(0);
    container.setEnv(
        List.of(
            new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                .withName("PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "creds", false)
                .endValueFrom()
                .build(),
            new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                .withName("POD_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .build(),
            new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                .withName("POD_NAMESPACE")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.namespace")
                .endFieldRef()
                .endValueFrom()
                .build()));
    container.setVolumeMounts(
        List.of(
            new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                .withName("data")
                .withMountPath("/data")
                .build()));
    template
        .getSpec()
        .setVolumes(
            List.of(
                new io.fabric8.kubernetes.api.model.VolumeBuilder()
                    .withName("data")
                    .withNewPersistentVolumeClaim("data", false)
                    .build()));

    Job denied = client.resource(job("denied", template, 0)).inNamespace(namespace).create();
    waitForJobCondition(denied, "Failed");
    Pod deniedPod = podsOf("denied").get(0);
    var terminated = deniedPod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getMessage()).isEqualTo("forbidden\n");
    assertThat(
            Files.readString(
                controlPlane.node().claimDirectory(namespace, "data").resolve("out.txt")))
        .isEqualTo("s3cr3t " + deniedPod.getMetadata().getName() + " " + namespace + "\n");

    client
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                .withNewMetadata()
                .withName("read-secrets")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("secrets")
                .withVerbs("list")
                .endRule()
                .build())
        .inNamespace(namespace)
        .create();
    client
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                .withNewMetadata()
                .withName("read-secrets")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "read-secrets")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("default")
                .withNamespace(namespace)
                .endSubject()
                .build())
        .inNamespace(namespace)
        .create();

    Job allowed = client.resource(job("allowed", template, 0)).inNamespace(namespace).create();
    waitForJobCondition(allowed, "Complete");
    assertThat(
            podsOf("allowed")
                .get(0)
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getTerminated()
                .getMessage())
        .isEqualTo("may-list-secrets\n");
  }

  private Job waitForJobCondition(Job job, String type) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(job.getMetadata().getName())
        .waitUntilCondition(
            j ->
                j != null
                    && j.getStatus() != null
                    && j.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus())),
            90,
            TimeUnit.SECONDS);
  }

  private List<Pod> podsOf(String job) {
    return client.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems();
  }

  private static Job job(String name, String script, int backoffLimit) {
    return job(name, template(script), backoffLimit);
  }

  private static Job job(String name, PodTemplateSpec template, int backoffLimit) {
    return new JobBuilder()
        .withMetadata(new ObjectMeta())
        .editMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(backoffLimit)
        .withTemplate(template)
        .endSpec()
        .build();
  }

  private static PodTemplateSpec template(String script) {
    return new PodTemplateSpecBuilder()
        .withSpec(
            new PodSpecBuilder()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .withCommand("sh", "-c", script)
                .endContainer()
                .build())
        .build();
  }
}
