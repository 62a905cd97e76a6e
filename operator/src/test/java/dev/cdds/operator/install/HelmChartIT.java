package dev.cdds.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdds.localcluster.CommandResult;
import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.FreePorts;
import dev.cdds.localcluster.Helm;
import dev.cdds.localcluster.Kubectl;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.runcontract.FieldManagers;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The Helm chart against the real API server: it lints and renders, its values schema refuses bad
 * values, it installs, its Deployment's operator pod runs from the image (a container, with the
 * chart's args, env, probes, security context and resources), becomes ready and runs an export; its
 * RBAC is enough for that and no more; upgrade and uninstall leave nothing behind.
 */
// Alone: it reinstalls the CRDs and the deletion policy every test relies on.
@Isolated
@ExtendWith(ControlPlaneExtension.class)
class HelmChartIT {
  private static final Path CHART = Path.of("..", "helm", "cdds-operator").toAbsolutePath();
  private static final String FULL_VALUES = CHART.resolve("ci/full-values.yaml").toString();
  private static final String RELEASE = "cdds-operator";
  private static final String SERVICE_ACCOUNT = "cdds-operator";

  private final ControlPlane controlPlane;
  private final Helm helm;
  private final Kubectl kubectl;

  HelmChartIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    Path work = WorkDirectory.path();
    this.helm =
        new Helm(controlPlane.binary("helm"), controlPlane.kubeconfig(), work.resolve("helm"));
    this.kubectl = new Kubectl(controlPlane);
  }

  @Test
  void lintsAndRendersWithDefaultAndWithEveryOptionOn() throws Exception {
    assertSucceeded(helm.run("lint", CHART.toString()));
    assertSucceeded(helm.run("lint", CHART.toString(), "-f", FULL_VALUES));

    String defaults = assertSucceeded(helm.run("template", RELEASE, CHART.toString(), "-n", "ops"));
    String full =
        assertSucceeded(
            helm.run("template", RELEASE, CHART.toString(), "-n", "ops", "-f", FULL_VALUES));

    assertThat(kinds(defaults))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRole",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Service",
            "Deployment",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");
    assertThat(kinds(full))
        .contains(
            "ServiceMonitor", "PrometheusRule", "NetworkPolicy", "PodDisruptionBudget", "ConfigMap")
        .doesNotContain("ClusterRoleBinding")
        .filteredOn("Role"::equals)
        .hasSize(3);
    assertThat(kinds(full))
        .as("in namespaced mode, the only ClusterRoles are the ones for people")
        .filteredOn("ClusterRole"::equals)
        .hasSize(2);
    assertThat(full).contains("name: cdds-operator-view", "name: cdds-operator-edit");
    assertThat(full)
        .contains("--namespaces=exports-a,exports-b")
        .contains("--source-names=/etc/cdds/source-names.yaml")
        .contains("- --watch-list")
        .contains(
            "resourceNames: [\"cdds-source-contacthistory\",\"cdds-source-iwd\",\"export-bucket\"]")
        .contains("readOnlyRootFilesystem: true");
  }

  @Test
  void valuesSchemaRefusesABadValueNamingIt() throws Exception {
    CommandResult typo =
        helm.run("template", RELEASE, CHART.toString(), "--set", "log.formatt=json");
    CommandResult wrongType =
        helm.run("template", RELEASE, CHART.toString(), "--set", "replicas=two");
    CommandResult badChoice =
        helm.run("template", RELEASE, CHART.toString(), "--set", "log.format=xml");
    CommandResult unsafe =
        helm.run(
            "template",
            RELEASE,
            CHART.toString(),
            "--set",
            "replicas=2",
            "--set",
            "leaderElection.enabled=false");

    assertThat(typo.exitCode()).isNotZero();
    assertThat(typo.stderr()).contains("/log").contains("'formatt' not allowed");
    assertThat(wrongType.exitCode()).isNotZero();
    assertThat(wrongType.stderr()).contains("/replicas");
    assertThat(badChoice.exitCode()).isNotZero();
    assertThat(badChoice.stderr()).contains("/log/format");
    assertThat(unsafe.exitCode()).isNotZero();
    assertThat(unsafe.stderr()).contains("replicas > 1 needs leaderElection.enabled: true");
  }

  @Test
  void installedRbacIsEnoughForTheOperatorAndNoMoreAndUninstallLeavesNothing() throws Exception {
    controlPlane.installCrds();
    KubernetesClient admin = controlPlane.client();
    String release = TestNamespaces.create(admin, "helm-ops");
    String watched = TestNamespaces.create(admin, "helm-exports");
    String other = TestNamespaces.create(admin, "helm-other");
    // The policy other tests applied without Helm; the chart installs (and owns) its own copy.
    removeDeletionPolicy(admin);
    try {
      // Pods share the host's network here: the operator's port must be free on it.
      int port = FreePorts.loopback();
      assertSucceeded(
          helm.run(
              "install",
              RELEASE,
              CHART.toString(),
              "-n",
              release,
              "--set",
              "watchNamespaces={" + watched + "}",
              "--set",
              "metrics.port=" + port,
              "--set",
              "export.defaultClaim=" + OperatorUnderTest.CLAIM,
              // The other tests' operators fill their caches from paged lists; this one streams.
              "--set",
              "watchList=true"));

      assertThat(admin.apps().deployments().inNamespace(release).withName(SERVICE_ACCOUNT).get())
          .isNotNull();
      assertThat(admin.rbac().roles().inNamespace(watched).withName(SERVICE_ACCOUNT).get())
          .isNotNull();
      assertThat(admin.rbac().clusterRoles().withName(SERVICE_ACCOUNT).get()).isNull();
      assertThat(
              admin
                  .admissionRegistration()
                  .v1()
                  .validatingAdmissionPolicies()
                  .withName("cdds-exportjob-running-deletion")
                  .get())
          .isNotNull();

      theChartsOperatorPodBecomesReadyAndRunsAnExport(release, watched);
      assertCanI(release, watched, other);
      assertPeopleGetTheirRolesThroughKubernetesOwn(watched);

      assertSucceeded(
          helm.run(
              "upgrade",
              RELEASE,
              CHART.toString(),
              "-n",
              release,
              "--set",
              "watchNamespaces={" + watched + "}",
              "--set",
              "replicas=2",
              "--set",
              "metrics.service.enabled=false"));
      assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(release).list().getItems())
          .hasSize(1);
      assertThat(admin.services().inNamespace(release).list().getItems()).isEmpty();
      assertThat(
              admin
                  .apps()
                  .deployments()
                  .inNamespace(release)
                  .withName(SERVICE_ACCOUNT)
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(2);

      assertSucceeded(helm.run("uninstall", RELEASE, "-n", release, "--wait"));

      assertThat(ours(admin, release, watched)).isEmpty();
      assertThat(
              admin
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("exportjobs.cdds.dev")
                  .get())
          .as("Helm keeps the CRDs of crds/")
          .isNotNull();
    } finally {
      controlPlane.installCrds();
    }
  }

  /**
   * The chart's Deployment, run by the real deployment and replicaset controllers: its pod runs as
   * a container of the image, passes its readiness probe, and its operator runs an export from a
   * real PostgreSQL through a real export pod, with the chart's RBAC.
   */
  private void theChartsOperatorPodBecomesReadyAndRunsAnExport(String release, String watched)
      throws Exception {
    KubernetesClient admin = controlPlane.client();
    var deployment = admin.apps().deployments().inNamespace(release).withName(SERVICE_ACCOUNT);
    deployment.waitUntilCondition(
        d ->
            d.getStatus() != null
                && d.getStatus().getReadyReplicas() != null
                && d.getStatus().getReadyReplicas() == 1,
        180,
        TimeUnit.SECONDS);
    Pod pod =
        admin
            .pods()
            .inNamespace(release)
            .withLabel("app.kubernetes.io/name", "cdds-operator")
            .list()
            .getItems()
            .get(0);
    assertThat(pod.getStatus().getContainerStatuses().get(0).getContainerID())
        .as("run by the container runtime")
        .startsWith("podman://");
    assertThat(pod.getSpec().getContainers().get(0).getImage())
        .startsWith(ControlPlane.OPERATOR_IMAGE + ":");

    try (var postgres = PostgresServer.start(WorkDirectory.path(), "postgres-helm")) {
      try (var db = postgres.connect()) {
        SampleData.load(db, 500, 9);
      }
      OperatorUnderTest.prepareNamespace(
          admin, watched, postgres.url(), PostgresServer.USER, PostgresServer.PASSWORD);
      admin
          .resources(ExportJob.class)
          .inNamespace(watched)
          .resource(ExportJobs.once("first"))
          .create();

      ExportJob done =
          admin
              .resources(ExportJob.class)
              .inNamespace(watched)
              .withName("first")
              .waitUntilCondition(
                  j -> j.getStatus() != null && j.getStatus().history != null,
                  180,
                  TimeUnit.SECONDS);

      assertThat(done.getStatus().history.get(0).result)
          .as(done.getStatus().history.get(0).message)
          .isEqualTo(RunResult.Succeeded);
      assertThat(done.getStatus().history.get(0).records).isPositive();
      assertThat(OperatorUnderTest.eventReasons(admin, watched, "first")).isNotEmpty();
      // Who created and started the run, as `kubectl get job --show-managed-fields` tells it.
      Job run =
          admin
              .batch()
              .v1()
              .jobs()
              .inNamespace(watched)
              .withLabel(ObjectLabels.EXPORT_JOB, "first")
              .list()
              .getItems()
              .get(0);
      assertThat(run.getMetadata().getManagedFields())
          .extracting(ManagedFieldsEntry::getManager)
          .contains(FieldManagers.OPERATOR)
          .doesNotContain("fabric8-kubernetes-client");
    }
  }

  /** kubectl auth can-i, as the chart's ServiceAccount: what it needs, and nothing around it. */
  private void assertCanI(String release, String watched, String other) throws Exception {
    String as = "--as=system:serviceaccount:" + release + ":" + SERVICE_ACCOUNT;
    record Case(String verb, String resource, String namespace, boolean allowed) {}
    List<Case> table =
        List.of(
            new Case("watch", "exportjobs.cdds.dev", watched, true),
            new Case("patch", "exportjobs.cdds.dev/status", watched, true),
            // For the finalizer of spec.output.deleteDataWithJob; never spec (ConcurrentEditsIT).
            new Case("patch", "exportjobs.cdds.dev", watched, true),
            new Case("delete", "exportjobs.cdds.dev", watched, false),
            new Case("create", "cronjobs.batch", watched, true),
            new Case("create", "jobs.batch", watched, true),
            new Case("delete", "jobs.batch", watched, false),
            new Case("create", "pods", watched, false),
            new Case("get", "secrets", watched, true),
            new Case("list", "secrets", watched, false),
            new Case("watch", "secrets", watched, false),
            new Case("get", "secrets", other, false),
            new Case("get", "secrets", release, false),
            new Case("create", "jobs.batch", other, false),
            new Case("watch", "exportjobs.cdds.dev", other, false),
            new Case("update", "leases.coordination.k8s.io", release, true),
            new Case("update", "leases.coordination.k8s.io", watched, false),
            new Case("delete", "namespaces", "", false),
            new Case("create", "clusterroles.rbac.authorization.k8s.io", "", false),
            new Case("create", "clusterrolebindings.rbac.authorization.k8s.io", "", false),
            new Case("escalate", "roles.rbac.authorization.k8s.io", watched, false),
            new Case("create", "customresourcedefinitions.apiextensions.k8s.io", "", false));
    List<String> wrong = new ArrayList<>();
    for (Case c : table) {
      String[] resource = c.resource().split("/");
      List<String> args = new ArrayList<>(List.of("auth", "can-i", c.verb(), resource[0], as));
      if (resource.length > 1) {
        args.add("--subresource=" + resource[1]);
      }
      args.add(c.namespace().isEmpty() ? "--all-namespaces" : "--namespace=" + c.namespace());
      CommandResult answer = kubectl.run(args.toArray(String[]::new));
      boolean allowed = answer.stdout().trim().equals("yes");
      if (allowed != c.allowed()) {
        wrong.add(c + " but kubectl said " + answer.stdout().trim() + answer.stderr().trim());
      }
    }
    assertThat(wrong).isEmpty();
  }

  /**
   * The chart's roles for people, aggregated by the real controller into view, edit and admin: a
   * namespace viewer lists ExportJobs and their history but changes nothing, an editor creates and
   * deletes them, and neither reads a Secret through them.
   */
  private void assertPeopleGetTheirRolesThroughKubernetesOwn(String watched) throws Exception {
    KubernetesClient admin = controlPlane.client();
    for (String role : List.of("view", "edit", "admin")) {
      admin
          .rbac()
          .roleBindings()
          .inNamespace(watched)
          .resource(
              new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("person-" + role)
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                  .addNewSubject()
                  .withKind("User")
                  .withName("person-" + role)
                  .withApiGroup("rbac.authorization.k8s.io")
                  .endSubject()
                  .build())
          .create();
    }
    record Case(String person, String verb, String resource, boolean allowed) {}
    List<Case> table =
        List.of(
            new Case("person-view", "list", "exportjobs.cdds.dev", true),
            new Case("person-view", "watch", "exportjobs.cdds.dev", true),
            new Case("person-view", "get", "exportjobs.cdds.dev/status", true),
            new Case("person-view", "create", "exportjobs.cdds.dev", false),
            new Case("person-view", "patch", "exportjobs.cdds.dev", false),
            new Case("person-view", "delete", "exportjobs.cdds.dev", false),
            new Case("person-view", "get", "secrets", false),
            new Case("person-edit", "create", "exportjobs.cdds.dev", true),
            new Case("person-edit", "patch", "exportjobs.cdds.dev", true),
            new Case("person-edit", "delete", "exportjobs.cdds.dev", true),
            new Case("person-edit", "patch", "exportjobs.cdds.dev/status", false),
            new Case("person-admin", "create", "exportjobs.cdds.dev", true),
            new Case("person-admin", "list", "exportjobs.cdds.dev", true));
    // The aggregation controller fills view, edit and admin shortly after the chart's roles exist.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<String> wrong = new ArrayList<>();
              for (Case c : table) {
                String[] resource = c.resource().split("/");
                List<String> args =
                    new ArrayList<>(
                        List.of(
                            "auth",
                            "can-i",
                            c.verb(),
                            resource[0],
                            "--as=" + c.person(),
                            "--namespace=" + watched));
                if (resource.length > 1) {
                  args.add("--subresource=" + resource[1]);
                }
                CommandResult answer = kubectl.run(args.toArray(String[]::new));
                if (answer.stdout().trim().equals("yes") != c.allowed()) {
                  wrong.add(c + " but kubectl said " + answer.stdout().trim());
                }
              }
              assertThat(wrong).isEmpty();
            });
  }

  /** Everything the release labelled as its own, in its namespaces and cluster-wide. */
  private static List<String> ours(KubernetesClient client, String release, String watched) {
    String selector = "app.kubernetes.io/instance";
    List<HasMetadata> found = new ArrayList<>();
    for (String ns : List.of(release, watched)) {
      found.addAll(
          client
              .apps()
              .deployments()
              .inNamespace(ns)
              .withLabel(selector, RELEASE)
              .list()
              .getItems());
      found.addAll(
          client.serviceAccounts().inNamespace(ns).withLabel(selector, RELEASE).list().getItems());
      found.addAll(
          client.services().inNamespace(ns).withLabel(selector, RELEASE).list().getItems());
      found.addAll(
          client.configMaps().inNamespace(ns).withLabel(selector, RELEASE).list().getItems());
      found.addAll(
          client.rbac().roles().inNamespace(ns).withLabel(selector, RELEASE).list().getItems());
      found.addAll(
          client
              .rbac()
              .roleBindings()
              .inNamespace(ns)
              .withLabel(selector, RELEASE)
              .list()
              .getItems());
      found.addAll(
          client
              .policy()
              .v1()
              .podDisruptionBudget()
              .inNamespace(ns)
              .withLabel(selector, RELEASE)
              .list()
              .getItems());
    }
    found.addAll(client.rbac().clusterRoles().withLabel(selector, RELEASE).list().getItems());
    found.addAll(
        client.rbac().clusterRoleBindings().withLabel(selector, RELEASE).list().getItems());
    Stream.of(
            client
                .admissionRegistration()
                .v1()
                .validatingAdmissionPolicies()
                .withName("cdds-exportjob-running-deletion")
                .get())
        .filter(p -> p != null)
        .forEach(found::add);
    return found.stream()
        .map(
            o ->
                o.getKind()
                    + " "
                    + o.getMetadata().getNamespace()
                    + "/"
                    + o.getMetadata().getName())
        .toList();
  }

  private static void removeDeletionPolicy(KubernetesClient client) {
    var admission = client.admissionRegistration().v1();
    admission
        .validatingAdmissionPolicyBindings()
        .withName("cdds-exportjob-running-deletion")
        .delete();
    admission.validatingAdmissionPolicies().withName("cdds-exportjob-running-deletion").delete();
  }

  private static List<String> kinds(String manifests) {
    return manifests
        .lines()
        .filter(l -> l.startsWith("kind:"))
        .map(l -> l.substring("kind:".length()).trim().replace("\"", ""))
        .toList();
  }

  private static String assertSucceeded(CommandResult result) {
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result.stdout();
  }
}
