package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One pod's only container, run as a local process: what kubelet would do with a container runtime,
 * reduced to what our tests need. Multi-container pods are refused, not half-run.
 */
final class LocalPod {
  private static final int TERMINATION_MESSAGE_LIMIT = 4096;

  private final Pod pod;
  private final Container container;
  private final Path dir;
  private final Path log;
  private final Path terminationLog;
  private volatile Process process;
  private volatile Optional<ContainerRun> containerRun = Optional.empty();
  private volatile Instant startedAt;
  private final Optional<ReadinessProbe> readiness;
  private volatile boolean ready;

  private LocalPod(Pod pod, Path dir, Path log) {
    this.pod = pod;
    this.container = pod.getSpec().getContainers().get(0);
    this.dir = dir;
    this.log = log;
    this.terminationLog = dir.resolve("termination-log");
    this.readiness = ReadinessProbe.of(container);
    this.ready = readiness.isEmpty();
  }

  static LocalPod of(Pod pod, Path podsRoot, Path logsRoot) throws IOException {
    if (pod.getSpec().getContainers().size() != 1 || !pod.getSpec().getInitContainers().isEmpty()) {
      throw new IllegalStateException("the process node runs pods with exactly one container");
    }
    var meta = pod.getMetadata();
    Path dir =
        Files.createDirectories(podsRoot.resolve(meta.getNamespace() + "_" + meta.getName()));
    Files.createDirectories(logsRoot);
    String logName =
        meta.getNamespace()
            + "_"
            + meta.getName()
            + "_"
            + pod.getSpec().getContainers().get(0).getName();
    return new LocalPod(pod, dir, logsRoot.resolve(logName + ".log"));
  }

  /**
   * Resolves env and volumes, hands over the ServiceAccount token, and starts the container (a
   * local image's) or, on the fast path, the local process standing in for it.
   */
  void start(KubernetesClient client, ClusterEndpoint cluster, ImageLaunchers launchers, Path pvcs)
      throws IOException {
    PodVolumes volumes = PodVolumes.prepare(client, pod, container, dir, pvcs);
    String terminationPath =
        container.getTerminationMessagePath() == null
            ? "/dev/termination-log"
            : container.getTerminationMessagePath();
    Files.deleteIfExists(terminationLog);
    Files.createFile(terminationLog);
    // The container's user, whoever it is, writes its message there.
    Files.setAttribute(terminationLog, "unix:mode", 0666);
    volumes.map(terminationPath, terminationLog);
    Optional<Path> account =
        Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken())
            ? Optional.empty()
            : Optional.of(serviceAccountFiles(client, cluster));
    Optional<String> image = launchers.localImageFor(container.getImage());
    ProcessBuilder builder;
    if (image.isPresent()) {
      account.ifPresent(a -> volumes.mapReadOnly(PodVolumes.SERVICE_ACCOUNT_PATH, a));
      Map<String, String> env = new HashMap<>();
      // What kubelet adds, then the pod's own variables: nothing of this machine.
      env.put("KUBERNETES_SERVICE_HOST", cluster.host());
      env.put("KUBERNETES_SERVICE_PORT", Integer.toString(cluster.port()));
      env.putAll(new PodEnvironment(client, pod).resolve(container));
      var prepared = ContainerRun.prepare(pod, container, image.get(), volumes, env);
      containerRun = Optional.of(prepared.run());
      builder = new ProcessBuilder(prepared.argv());
      builder.environment().keySet().retainAll(List.of("PATH", "HOME"));
      builder.environment().putAll(env);
    } else {
      builder = processBuilder(volumes, account, cluster, launchers, client);
    }
    builder.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    startedAt = Instant.now();
    process = builder.start();
  }

  /** The fast path: the image's stand-in as a local process, mount paths rewritten. */
  private ProcessBuilder processBuilder(
      PodVolumes volumes,
      Optional<Path> account,
      ClusterEndpoint cluster,
      ImageLaunchers launchers,
      KubernetesClient client) {
    Map<String, String> env = new HashMap<>(baseEnvironment(cluster));
    account.ifPresent(
        a -> {
          volumes.map(PodVolumes.SERVICE_ACCOUNT_PATH, a);
          // Where a client library looks when not at the well-known path (fabric8 reads these).
          env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", a.resolve("token").toString());
          env.put("KUBERNETES_CERTS_CA_FILE", a.resolve("ca.crt").toString());
          env.put("KUBERNETES_NAMESPACE", pod.getMetadata().getNamespace());
        });
    new PodEnvironment(client, pod)
        .resolve(container)
        .forEach((k, v) -> env.put(k, volumes.rewrite(v)));
    // Mount paths are rewritten in what the container says, never in the launcher's own local
    // command line (a checkout under /tmp must not become the pod's /tmp volume).
    List<String> argv =
        launchers.argv(
            container.getImage(),
            rewriteAll(volumes, expandAll(container.getCommand(), env)),
            rewriteAll(volumes, expandAll(container.getArgs(), env)));
    var builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder;
  }

  private Map<String, String> baseEnvironment(ClusterEndpoint cluster) {
    Map<String, String> env = new HashMap<>();
    for (String inherited : List.of("PATH", "JAVA_HOME", "LANG", "TZ")) {
      String value = System.getenv(inherited);
      if (value != null) {
        env.put(inherited, value);
      }
    }
    env.put("HOME", dir.toString());
    env.put("HOSTNAME", pod.getMetadata().getName());
    env.put("KUBERNETES_SERVICE_HOST", cluster.host());
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(cluster.port()));
    // No kubeconfig of the machine may leak into a pod: it has only its ServiceAccount.
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBECONFIG", dir.resolve("no-kubeconfig").toString());
    return env;
  }

  private Path serviceAccountFiles(KubernetesClient client, ClusterEndpoint cluster)
      throws IOException {
    String namespace = pod.getMetadata().getNamespace();
    var token =
        client
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(PodEnvironment.serviceAccount(pod))
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build());
    Path account = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(account.resolve("token"), token.getStatus().getToken());
    Files.writeString(account.resolve("namespace"), namespace);
    Files.writeString(account.resolve("ca.crt"), cluster.caCertificatePem());
    return account;
  }

  private static List<String> rewriteAll(PodVolumes volumes, List<String> values) {
    return values == null ? null : volumes.rewrite(values);
  }

  private static List<String> expandAll(List<String> values, Map<String, String> env) {
    return values == null ? null : values.stream().map(v -> PodEnvironment.expand(v, env)).toList();
  }

  Process process() {
    return process;
  }

  /** How kubelet would name it: the container runtime's id, here podman's name or the pid. */
  String containerId() {
    return containerRun.map(c -> "podman://" + c.name()).orElse("process://" + process.pid());
  }

  Optional<ReadinessProbe> readiness() {
    return readiness;
  }

  boolean ready() {
    return ready;
  }

  /** Records a probe's result; whether readiness changed. */
  boolean probed(boolean succeeded) {
    boolean changed = succeeded != ready;
    ready = succeeded;
    return changed;
  }

  Instant startedAt() {
    return startedAt;
  }

  Pod pod() {
    return pod;
  }

  Path log() {
    return log;
  }

  // Beyond the grace period, how long a stop may take before it is forced.
  private static final long STOP_SLACK_SECONDS = 10;

  /** SIGTERM to the container or the process and its children, SIGKILL after the grace period. */
  void stop(long graceSeconds) throws InterruptedException {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (containerRun.isPresent()) {
      try {
        containerRun.get().stop(graceSeconds);
        // A container still being created when stopped is not stopped: its podman run goes on.
        if (!p.waitFor(graceSeconds + STOP_SLACK_SECONDS, TimeUnit.SECONDS)) {
          containerRun.get().kill();
        }
      } catch (IOException e) {
        p.destroyForcibly();
      }
      if (!p.waitFor(STOP_SLACK_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
      return;
    }
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
  }

  /** SIGKILL at once, as the kernel's OOM killer or a node failure would. */
  void kill() throws InterruptedException {
    if (containerRun.isPresent()) {
      try {
        containerRun.get().kill();
        return;
      } catch (IOException e) {
        // Then at least its podman client goes.
      }
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Whether the kernel's OOM killer ended it (containers only: a process has no limit). */
  boolean oomKilled() {
    return containerRun.map(ContainerRun::oomKilled).orElse(false);
  }

  /** What the container wrote to its termination-message path, or the tail of its log. */
  String terminationMessage(int exitCode) throws IOException {
    String message =
        Files.exists(terminationLog)
            ? Files.readString(terminationLog, StandardCharsets.UTF_8)
            : "";
    boolean fallback = "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy());
    if (message.isEmpty() && fallback && exitCode != 0 && Files.exists(log)) {
      byte[] all = Files.readAllBytes(log);
      int from = Math.max(0, all.length - 2048);
      message = new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }
    return message.length() > TERMINATION_MESSAGE_LIMIT
        ? message.substring(0, TERMINATION_MESSAGE_LIMIT)
        : message;
  }
}
