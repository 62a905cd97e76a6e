package dev.cdds.localcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * etcd, kube-apiserver, kube-controller-manager and the process node for the local sandbox, every
 * port on 127.0.0.1 and chosen free, state kept in one directory so that a restart finds its
 * ExportJobs again. The API server makes its own serving certificate; the admin authenticates with
 * a static token kept in the directory, in the group system:masters.
 */
public final class LoopbackControlPlane implements AutoCloseable {
  /** Index of kube-apiserver in {@link #processes}, after etcd. */
  private static final int API_SERVER = 1;

  private final List<Process> processes;
  private final List<String> apiServer;
  private final Path logs;
  private final KubeControllerManager controllerManager;
  private final ProcessNode node;
  private final KubernetesClient client;
  private final Path kubeconfig;

  private LoopbackControlPlane(
      List<Process> processes,
      List<String> apiServer,
      Path logs,
      KubeControllerManager controllerManager,
      ProcessNode node,
      KubernetesClient client,
      Path kubeconfig) {
    this.processes = processes;
    this.apiServer = apiServer;
    this.logs = logs;
    this.controllerManager = controllerManager;
    this.node = node;
    this.client = client;
    this.kubeconfig = kubeconfig;
  }

  /** Starts everything from the binaries of hack/k8s-tools.sh, state under {@code dir}. */
  public static LoopbackControlPlane start(Path binaries, Path dir, ImageLaunchers launchers)
      throws IOException, InterruptedException {
    Path pki = Files.createDirectories(dir.resolve("pki"));
    Path logs = Files.createDirectories(dir.resolve("logs"));
    String token = adminToken(pki);
    serviceAccountKeys(pki);
    List<Process> processes = new ArrayList<>();
    int etcdPort = FreePorts.loopback();
    int peerPort = FreePorts.loopback();
    processes.add(
        start(
            logs.resolve("etcd.log"),
            binaries.resolve("etcd").toString(),
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=http://127.0.0.1:" + etcdPort,
            "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
            "--listen-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-cluster=default=http://127.0.0.1:" + peerPort,
            "--listen-metrics-urls=http://127.0.0.1:" + FreePorts.loopback()));
    int apiPort = FreePorts.loopback();
    List<String> apiServer =
        List.of(
            binaries.resolve("kube-apiserver").toString(),
            "--etcd-servers=http://127.0.0.1:" + etcdPort,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            "--secure-port=" + apiPort,
            "--cert-dir=" + pki,
            "--token-auth-file=" + pki.resolve("tokens.csv"),
            "--authorization-mode=RBAC",
            "--service-account-issuer=https://kubernetes.default.svc",
            "--service-account-key-file=" + pki.resolve("sa.pub"),
            "--service-account-signing-key-file=" + pki.resolve("sa.key"),
            "--service-cluster-ip-range=10.0.0.0/24",
            "--allow-privileged=true",
            // As in the tests' control plane: the process node mounts the token itself, it has no
            // projected volumes.
            "--disable-admission-plugins=ServiceAccount");
    processes.add(start(logs.resolve("kube-apiserver.log"), apiServer.toArray(String[]::new)));
    Path servingCert = pki.resolve("apiserver.crt");
    Awaitility.await("kube-apiserver serving certificate")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> alive(processes) && Files.exists(servingCert));
    String ca = Files.readString(servingCert);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        Kubeconfigs.of(
            "https://127.0.0.1:" + apiPort,
            Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8)),
            token,
            "demo"));
    KubernetesClient client = SharedClient.of(config(apiPort, ca, token));
    Awaitility.await("kube-apiserver ready")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> alive(processes) && client.getKubernetesVersion() != null && ready(client));
    var controllerManager =
        KubeControllerManager.start(
            binaries.resolve("kube-controller-manager"),
            kubeconfig,
            logs.resolve("kube-controller-manager.log"));
    client
        .serviceAccounts()
        .inNamespace("default")
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 120, TimeUnit.SECONDS);
    var node =
        new ProcessNode(
            client, new ClusterEndpoint("127.0.0.1", apiPort, ca), launchers, dir.resolve("node"));
    node.start();
    return new LoopbackControlPlane(
        processes, apiServer, logs, controllerManager, node, client, kubeconfig);
  }

  /**
   * Kills kube-apiserver (SIGKILL, as a crash or a node loss would), keeps it down for {@code
   * downtime} and starts it again on the same port, with the same certificates and etcd.
   */
  public void restartApiServer(Duration downtime) throws IOException, InterruptedException {
    processes.get(API_SERVER).destroyForcibly().waitFor();
    // What is down is down for a while: clients must ride it out, not catch it between retries.
    Thread.sleep(downtime.toMillis());
    processes.set(
        API_SERVER, start(logs.resolve("kube-apiserver.log"), apiServer.toArray(String[]::new)));
    Awaitility.await("kube-apiserver ready again")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> alive(processes) && ready(client));
  }

  public KubernetesClient client() {
    return client;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Writes a kubeconfig authenticated as a ServiceAccount to {@code file}, for another process. */
  public Path kubeconfigAs(String namespace, String serviceAccount, Path file) throws IOException {
    return Kubeconfigs.writeFor(
        client, client.getConfiguration().getCaCertData(), namespace, serviceAccount, file);
  }

  public ProcessNode node() {
    return node;
  }

  /** Process ids of etcd, kube-apiserver and kube-controller-manager. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>(processes.stream().map(Process::pid).toList());
    pids.add(controllerManager.pid());
    return pids;
  }

  @Override
  public void close() throws InterruptedException {
    node.close();
    controllerManager.close();
    client.close();
    // The API server before etcd.
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private static boolean ready(KubernetesClient client) {
    String readyz = client.raw(client.getMasterUrl() + "readyz");
    return readyz != null && readyz.trim().equals("ok");
  }

  private static boolean alive(List<Process> processes) {
    for (Process p : processes) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "exited early: " + p.info().command().orElse("?") + " (see the logs directory)");
      }
    }
    return true;
  }

  private static Process start(Path log, String... command) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** The admin's token, made once: token,user,uid,"groups". */
  private static String adminToken(Path pki) throws IOException {
    Path tokens = pki.resolve("tokens.csv");
    if (!Files.exists(tokens)) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      Files.writeString(
          tokens,
          HexFormat.of().formatHex(random) + ",sandbox-admin,sandbox-admin,\"system:masters\"\n");
    }
    return Files.readString(tokens).split(",")[0];
  }

  /** The key pair that signs ServiceAccount tokens, made once. */
  private static void serviceAccountKeys(Path pki) throws IOException {
    if (Files.exists(pki.resolve("sa.key"))) {
      return;
    }
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      var pair = generator.generateKeyPair();
      Files.writeString(pki.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.writeString(pki.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static Config config(int port, String ca, String token) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl("https://127.0.0.1:" + port)
        .withCaCertData(Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8)))
        .withOauthToken(token)
        .build();
  }
}
