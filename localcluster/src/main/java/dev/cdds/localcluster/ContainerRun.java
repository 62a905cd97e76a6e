package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One pod's container run by podman (runc) from a local image, with what kubelet enforces: the
 * memory and CPU limits, the security context (user, group, non-root check, read-only root,
 * capabilities, privilege escalation, seccomp), the volumes bind-mounted at their paths with the
 * pod's fsGroup, and only the pod's own environment. The network is the host's (no isolation): the
 * pod reaches the API server and the test servers on 127.0.0.1 as the process node does.
 *
 * <p>The memory limit is set on a cgroup of the node's own, the container's parent, so that after
 * the container is gone the node can still read whether the kernel's OOM killer acted in it.
 */
final class ContainerRun {
  /** podman's defaults do not fit these machines (docs/ci.md): crun, and its nproc limit. */
  static final List<String> PODMAN =
      List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs");

  private static final Path MEMORY_CGROUPS = Path.of("/sys/fs/cgroup/memory");
  private static final String CGROUP_PARENT = "cdds-pods";

  private final String name;
  private final Optional<Path> memoryCgroup;
  private Boolean oomKilled;

  private ContainerRun(String name, Optional<Path> memoryCgroup) {
    this.name = name;
    this.memoryCgroup = memoryCgroup;
  }

  /**
   * The {@code podman run} command of the pod's container (attached: it exits with the container's
   * code); the pod's environment is passed by name from the command's own environment, so no
   * Secret's value is on a command line.
   */
  static Prepared prepare(
      Pod pod, Container container, String image, PodVolumes volumes, Map<String, String> env)
      throws IOException {
    String name = "cdds-" + pod.getMetadata().getUid();
    var security = ContainerSecurity.of(pod, container, image);
    List<String> argv = new ArrayList<>(PODMAN);
    argv.addAll(
        List.of(
            "run",
            "--rm",
            "--name",
            name,
            "--network",
            "host",
            "--hostname",
            pod.getMetadata().getName(),
            // As kubelet's /etc/hosts: the pod's own name resolves.
            "--add-host",
            pod.getMetadata().getName() + ":127.0.0.1",
            "--ulimit",
            "nofile=20000:20000",
            "--ulimit",
            "nproc=4096:4096",
            "--pull",
            "never",
            // Set by podman, never by kubelet.
            "--unsetenv",
            "TERM",
            "--unsetenv",
            "container"));
    argv.addAll(security.options());
    Optional<Path> cgroup = memoryLimit(container).map(limit -> cgroup(name, limit));
    if (cgroup.isPresent()) {
      // conmon, podman's monitor of the container, stays out of it: not under the pod's limit.
      argv.addAll(
          List.of("--cgroup-parent", "/" + CGROUP_PARENT + "/" + name, "--cgroups", "no-conmon"));
    }
    cpuLimit(container).ifPresent(cpus -> argv.addAll(List.of("--cpus", cpus)));
    for (var mount : volumes.mounts().entrySet()) {
      String mode = volumes.readOnly(mount.getKey()) ? ":ro" : "";
      argv.addAll(List.of("--volume", mount.getValue() + ":" + mount.getKey() + mode));
    }
    for (Path dir : volumes.writable()) {
      security.fsGroup().ifPresent(group -> applyFsGroup(dir, group));
    }
    for (String variable : env.keySet()) {
      argv.addAll(List.of("--env", variable));
    }
    if (container.getCommand() != null && !container.getCommand().isEmpty()) {
      argv.add("--entrypoint=" + jsonArray(container.getCommand()));
    }
    argv.add(image);
    if (container.getArgs() != null) {
      argv.addAll(container.getArgs());
    }
    return new Prepared(argv, new ContainerRun(name, cgroup));
  }

  /** The command and the container it starts. */
  record Prepared(List<String> argv, ContainerRun run) {}

  String name() {
    return name;
  }

  /** SIGTERM, then SIGKILL after the grace period, as kubelet stops a container. */
  void stop(long graceSeconds) throws IOException, InterruptedException {
    podman("stop", "--time", Long.toString(graceSeconds), name);
  }

  /** SIGKILL at once. */
  void kill() throws IOException, InterruptedException {
    podman("kill", name);
  }

  /**
   * Whether the kernel's OOM killer ended a process of the container: read once it has ended, when
   * its cgroup is freed.
   */
  synchronized boolean oomKilled() {
    if (oomKilled == null) {
      oomKilled = memoryCgroup.map(ContainerRun::readOomKills).orElse(false);
    }
    return oomKilled;
  }

  /**
   * Whether the cgroup ran out of memory: the kernel counts OOM kills, or (this kernel's cgroup v1
   * does not always) the times a limit was hit, or at least the peak usage reached the limit; then
   * a SIGKILLed container was the OOM killer's.
   */
  private static boolean readOomKills(Path dir) {
    try {
      boolean killed =
          Files.readAllLines(dir.resolve("memory.oom_control")).stream()
              .filter(l -> l.startsWith("oom_kill "))
              .anyMatch(l -> Long.parseLong(l.substring("oom_kill ".length()).trim()) > 0);
      return killed
          || counted(dir, "memory.failcnt") > 0
          || counted(dir, "memory.memsw.failcnt") > 0
          || counted(dir, "memory.max_usage_in_bytes") >= counted(dir, "memory.limit_in_bytes");
    } catch (IOException | RuntimeException unreadable) {
      return false;
    } finally {
      removeCgroup(dir);
    }
  }

  private static long counted(Path dir, String file) throws IOException {
    Path path = dir.resolve(file);
    return Files.exists(path) ? Long.parseLong(Files.readString(path).trim()) : 0;
  }

  private static void podman(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(PODMAN);
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(60, TimeUnit.SECONDS);
  }

  private static Optional<Long> memoryLimit(Container container) {
    return Optional.ofNullable(container.getResources())
        .map(r -> r.getLimits())
        .map(limits -> limits.get("memory"))
        .map(q -> Quantity.getAmountInBytes(q).longValueExact());
  }

  private static Optional<String> cpuLimit(Container container) {
    return Optional.ofNullable(container.getResources())
        .map(r -> r.getLimits())
        .map(limits -> limits.get("cpu"))
        .map(q -> Quantity.getAmountInBytes(q).toPlainString());
  }

  /** The container's parent memory cgroup, limited (swap included, as kubelet sets it). */
  private static Path cgroup(String name, long limit) {
    Path dir = MEMORY_CGROUPS.resolve(CGROUP_PARENT).resolve(name);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limit));
      Path swap = dir.resolve("memory.memsw.limit_in_bytes");
      if (Files.exists(swap)) {
        Files.writeString(swap, Long.toString(limit));
      }
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot set the memory limit in " + dir + " (cgroup v1 memory controller): " + e, e);
    }
  }

  /** A cgroup goes once empty; podman's own child of it goes with the container. */
  private static void removeCgroup(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      children.filter(Files::isDirectory).sorted().forEach(ContainerRun::removeQuietly);
    } catch (IOException gone) {
      return;
    }
    removeQuietly(dir);
  }

  private static void removeQuietly(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException busy) {
      // Still in use; the next run of the same pod never reuses a name.
    }
  }

  /** As kubelet does for fsGroup: the volume's files belong to the group, which may write them. */
  private static void applyFsGroup(Path dir, long group) {
    try (Stream<Path> paths = Files.walk(dir)) {
      GroupPrincipal principal =
          dir.getFileSystem()
              .getUserPrincipalLookupService()
              .lookupPrincipalByGroupName(Long.toString(group));
      for (Path path : paths.toList()) {
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(principal);
        // Directories setgid, so that what the pod creates there belongs to the group too.
        Files.setAttribute(path, "unix:mode", Files.isDirectory(path) ? 02775 : 0664);
      }
    } catch (IOException e) {
      throw new IllegalStateException("fsGroup " + group + " on " + dir + ": " + e, e);
    }
  }

  private static String jsonArray(List<String> values) {
    var out = new StringBuilder("[");
    for (String v : values) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.append(']').toString();
  }
}
