package dev.cdds.localcluster;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane for tests: etcd and kube-apiserver (started by kube-api-test from
 * the binaries hack/k8s-tools.sh builds), kube-controller-manager, and the process node. One per
 * test JVM; {@link ControlPlaneExtension} starts it and stops it at the end of the run.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  /** Our image: its pods run the built jar. */
  public static final String OPERATOR_IMAGE = "ghcr.io/cdds-dev/cdds-operator";

  private static final Path REPO = Repository.ROOT;

  private final KubeAPIServer apiServer;
  private KubeControllerManager controllerManager;
  private final KubernetesClient client;
  private final ProcessNode node;
  private final Path kubeconfig;
  private final Path binaries;

  private ControlPlane(
      KubeAPIServer apiServer,
      KubeControllerManager controllerManager,
      KubernetesClient client,
      ProcessNode node,
      Path kubeconfig,
      Path binaries) {
    this.apiServer = apiServer;
    this.controllerManager = controllerManager;
    this.client = client;
    this.node = node;
    this.kubeconfig = kubeconfig;
    this.binaries = binaries;
  }

  /**
   * Starts the control plane and a process node that runs pods of the images {@code launchers}
   * knows; the product's image runs as a container of the image {@code hack/image.sh} builds.
   */
  public static ControlPlane start(ImageLaunchers launchers)
      throws IOException, InterruptedException {
    long began = System.nanoTime();
    Path work = WorkDirectory.path();
    Files.createDirectories(work.resolve("logs"));
    Path binaries = binariesDirectory();

    var apiServer =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withStartupTimeout(180_000)
                .build());
    apiServer.start();
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, apiServer.getKubeConfigYaml());

    Config config = Config.fromKubeconfig(apiServer.getKubeConfigYaml());
    KubernetesClient client = SharedClient.of(config);
    var controllerManager =
        KubeControllerManager.start(
            binaries.resolve("kube-controller-manager"),
            kubeconfig,
            work.resolve("logs").resolve("kube-controller-manager.log"));
    // The serviceaccount controller creating "default" proves the controllers are running.
    client
        .serviceAccounts()
        .inNamespace("default")
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 120, TimeUnit.SECONDS);

    URI server = URI.create(config.getMasterUrl());
    var endpoint = new ClusterEndpoint(server.getHost(), server.getPort(), caPem(config));
    launchers
        .asContainer(OPERATOR_IMAGE, ProductImage.name())
        .asContainer(ProductImage.READER, ProductImage.reader());
    var node = new ProcessNode(client, endpoint, launchers, work);
    node.start();

    LOG.info(
        "control plane ready in {} s: kube-apiserver {} at {}, kube-controller-manager ({}),"
            + " process node; binaries from {}",
        (System.nanoTime() - began) / 1_000_000_000,
        client.getKubernetesVersion().getGitVersion(),
        config.getMasterUrl(),
        String.join(",", KubeControllerManager.CONTROLLERS),
        binaries);
    return new ControlPlane(apiServer, controllerManager, client, node, kubeconfig, binaries);
  }

  /** The control-plane binaries hack/k8s-tools.sh built. */
  public static Path binariesDirectory() throws IOException, InterruptedException {
    var process =
        new ProcessBuilder("bash", REPO.resolve("hack/k8s-tools.sh").toString(), "--print-dir")
            .redirectErrorStream(true)
            .start();
    String dir = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (process.waitFor() != 0 || !Files.isExecutable(Path.of(dir, "kube-apiserver"))) {
      throw new IllegalStateException(
          "control-plane binaries missing in " + dir + ": run hack/k8s-tools.sh");
    }
    return Path.of(dir);
  }

  private static String caPem(Config config) throws IOException {
    if (config.getCaCertData() != null) {
      return new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.UTF_8);
    }
    return Files.readString(Path.of(config.getCaCertFile()));
  }

  /** Stops kube-controller-manager: no Job, CronJob or garbage-collector controller runs. */
  public synchronized void stopControllerManager() throws InterruptedException {
    controllerManager.close();
  }

  /** Starts kube-controller-manager again after {@link #stopControllerManager()}. */
  public synchronized void startControllerManager() throws IOException {
    if (!controllerManager.isAlive()) {
      Path work = kubeconfig.getParent();
      controllerManager =
          KubeControllerManager.start(
              binaries.resolve("kube-controller-manager"),
              kubeconfig,
              work.resolve("logs").resolve("kube-controller-manager.log"));
    }
  }

  /** An admin client (system:masters). */
  public KubernetesClient client() {
    return client;
  }

  /** Writes a kubeconfig authenticated as a ServiceAccount to {@code file}, for another process. */
  public Path kubeconfigAs(String namespace, String serviceAccount, Path file) throws IOException {
    Config admin = Config.fromKubeconfig(Files.readString(kubeconfig));
    String ca = Base64.getEncoder().encodeToString(caPem(admin).getBytes(StandardCharsets.UTF_8));
    return Kubeconfigs.writeFor(client, ca, namespace, serviceAccount, file);
  }

  public ProcessNode node() {
    return node;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A binary built by hack/k8s-tools.sh: kubectl, helm, … */
  public Path binary(String name) {
    return binaries.resolve(name);
  }

  /**
   * Applies everything in crds/ (the CRD and the deletion policy) and waits until the API server
   * serves the CRDs.
   */
  public void installCrds() throws IOException {
    installCrds(client);
  }

  /**
   * The same for any API server, given an admin client. One install at a time in this JVM: test
   * classes running side by side install them too, and share the deletion policy's probe.
   */
  public static synchronized void installCrds(KubernetesClient client) throws IOException {
    boolean policy = false;
    try (var files = Files.list(REPO.resolve("crds"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (var in = Files.newInputStream(file)) {
          for (HasMetadata item : client.load(in).items()) {
            client.resource(item).fieldManager("cdds-tests").forceConflicts().serverSideApply();
            policy |= item.getKind().startsWith("ValidatingAdmissionPolicy");
            if (item instanceof CustomResourceDefinition crd) {
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName(crd.getMetadata().getName())
                  .waitUntilCondition(ControlPlane::established, 60, TimeUnit.SECONDS);
            }
          }
        }
      }
    }
    if (policy) {
      DeletionPolicyProbe.awaitEnforced(client);
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        // A CRD just created may have a status without conditions yet.
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() throws Exception {
    node.close();
    controllerManager.close();
    client.close();
    apiServer.stop();
  }
}
