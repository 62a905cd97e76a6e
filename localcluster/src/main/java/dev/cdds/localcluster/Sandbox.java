package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole product on this machine, for {@code hack/sandbox up}: a loopback control plane with the
 * process node, PostgreSQL with sample data, an S3-compatible server, the Helm chart, the operator
 * (as the chart's ServiceAccount) and a few examples in namespace {@code demo}. Runs until stopped
 * (SIGTERM from {@code hack/sandbox down}), then stops everything it started. State is kept in its
 * directory, so the next start finds the data and the ExportJobs again.
 */
public final class Sandbox {
  static final String NAMESPACE = "demo";
  static final String RELEASE_NAMESPACE = "cdds-system";
  static final String CLAIM = "exports";
  static final String BUCKET = "cdds-exports";
  static final List<String> EXAMPLES =
      List.of(
          "once-now.yaml",
          "hourly-every-4h-at-15.yaml",
          "contacts-weekly.yaml",
          "interactions-daily-s3.yaml");

  private Sandbox() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path repo = Path.of("").toAbsolutePath();
    Path jar = repo.resolve("operator/target/cdds-operator.jar");
    Path binaries = Path.of(args[1]);
    List<AutoCloseable> started = new ArrayList<>();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  step("stopping");
                  for (int i = started.size() - 1; i >= 0; i--) {
                    try {
                      started.get(i).close();
                    } catch (Exception e) {
                      step("stopping " + started.get(i) + " failed: " + e);
                    }
                  }
                  stopped.countDown();
                }));
    var launchers =
        new ImageLaunchers()
            .asProcess(ControlPlane.OPERATOR_IMAGE, List.of("java", "-jar", jar.toString()));
    step("starting etcd, kube-apiserver, kube-controller-manager and the process node");
    var plane = LoopbackControlPlane.start(binaries, dir, launchers);
    started.add(plane);
    List<Long> pids = new ArrayList<>(plane.pids());
    step("starting PostgreSQL");
    var postgres = PostgresServer.startKeeping(dir, "postgres");
    started.add(postgres);
    pids.add(postgres.pid());
    if (postgres.created()) {
      step("loading sample data: 20000 interactions and events, 5000 contacts, 100 attachments");
      try (var db = postgres.connect()) {
        SampleData.load(db, 20_000, 1);
      }
    }
    step("starting the S3-compatible server");
    var s3 = S3Server.startKeeping(dir, "s3");
    started.add(s3);
    pids.add(s3.pid());
    pids.add(ProcessHandle.current().pid());
    Files.write(dir.resolve("pids"), pids.stream().map(String::valueOf).toList());

    KubernetesClient client = plane.client();
    for (String ns : List.of(NAMESPACE, RELEASE_NAMESPACE)) {
      client
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    step("installing the Helm chart (CRD, RBAC, deletion policy)");
    helm(binaries, plane.kubeconfig(), repo);
    prepare(client, postgres, s3);
    step("starting the operator as the chart's ServiceAccount, from the built jar");
    Path operatorKubeconfig =
        plane.kubeconfigAs(RELEASE_NAMESPACE, "cdds-operator", dir.resolve("operator.kubeconfig"));
    var operator =
        OperatorProcess.start(
            jar,
            List.of(),
            List.of(
                "--export-image=" + ControlPlane.OPERATOR_IMAGE + ":sandbox",
                "--namespaces=" + NAMESPACE,
                "--default-claim=" + CLAIM,
                "--backoff-limit=1",
                "--export-cpu-request=100m",
                "--export-memory=512Mi",
                "--http-port=" + FreePorts.loopback(),
                "--leader-election-namespace=" + RELEASE_NAMESPACE),
            operatorKubeconfig,
            dir.resolve("operator.log"));
    started.add(operator);
    pids.add(operator.pid());
    Files.write(dir.resolve("pids"), pids.stream().map(String::valueOf).toList());
    applyExamples(client, repo, s3);
    Path exports = plane.node().claimDirectory(NAMESPACE, CLAIM);
    Files.createDirectories(exports);
    Files.writeString(
        dir.resolve("ready"),
        String.join(
            "\n",
            "kubeconfig=" + plane.kubeconfig(),
            "exports=" + exports,
            "s3=" + s3.endpoint() + "/" + BUCKET,
            "postgres=" + postgres.url(),
            ""));
    step("ready");
    stopped.await();
  }

  private static void prepare(KubernetesClient client, PostgresServer postgres, S3Server s3) {
    for (String system : List.of("contacthistory", "iwd")) {
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("cdds-source-" + system)
                  .withNamespace(NAMESPACE)
                  .endMetadata()
                  .withStringData(
                      Map.of(
                          "url", postgres.url(),
                          "user", PostgresServer.USER,
                          "password", PostgresServer.PASSWORD))
                  .build())
          .serverSideApply();
    }
    s3.createBucket(BUCKET);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("cdds-s3-credentials")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "accessKeyId", S3Server.ACCESS_KEY_ID,
                        "secretAccessKey", S3Server.SECRET_ACCESS_KEY))
                .build())
        .serverSideApply();
    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(CLAIM)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("10Gi")))
                .endResources()
                .endSpec()
                .build())
        .serverSideApply();
  }

  /** A few examples, created once; the S3 one pointed at the local server. */
  @SuppressWarnings("unchecked")
  private static void applyExamples(KubernetesClient client, Path repo, S3Server s3)
      throws IOException {
    var jobs = client.genericKubernetesResources(ExportJobsApi.EXPORT_JOBS).inNamespace(NAMESPACE);
    for (String example : EXAMPLES) {
      GenericKubernetesResource job;
      try (var in = Files.newInputStream(repo.resolve("examples").resolve(example))) {
        job = client.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class);
      }
      if (jobs.withName(job.getMetadata().getName()).get() != null) {
        continue;
      }
      var spec = (Map<String, Object>) job.getAdditionalProperties().get("spec");
      var output = (Map<String, Object>) spec.get("output");
      var destination = output == null ? null : (Map<String, Object>) output.get("destination");
      if (destination != null && destination.get("s3") instanceof Map<?, ?> bucket) {
        ((Map<String, Object>) bucket).put("endpoint", s3.endpoint());
      }
      jobs.resource(job).create();
      step("applied examples/" + example);
    }
  }

  private static void helm(Path binaries, Path kubeconfig, Path repo)
      throws IOException, InterruptedException {
    var helm = new Helm(binaries.resolve("helm"), kubeconfig, kubeconfig.resolveSibling("helm"));
    var installed =
        helm.run(
            "upgrade",
            "--install",
            "cdds-operator",
            repo.resolve("helm/cdds-operator").toString(),
            "--namespace",
            RELEASE_NAMESPACE,
            "--set",
            "watchNamespaces={" + NAMESPACE + "}",
            "--set",
            "export.defaultClaim=" + CLAIM);
    if (installed.exitCode() != 0) {
      throw new IllegalStateException("helm upgrade --install failed: " + installed.stderr());
    }
  }

  private static void step(String what) {
    System.out.println("[sandbox] " + what);
    System.out.flush();
  }
}
