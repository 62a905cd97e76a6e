package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container's security context as kubelet applies it: the pod's and the container's merged (the
 * container's winning), the non-root rule checked against the image's user before the container
 * starts, and the podman options that enforce the rest.
 */
record ContainerSecurity(
    Optional<Long> user,
    Optional<Long> group,
    Optional<Long> fsGroup,
    boolean nonRoot,
    boolean readOnlyRoot,
    boolean noNewPrivileges,
    boolean privileged,
    List<String> dropped,
    List<String> added,
    Optional<String> seccomp,
    List<Long> supplementalGroups) {

  static ContainerSecurity of(Pod pod, Container container, String image) {
    PodSecurityContext p =
        Optional.ofNullable(pod.getSpec().getSecurityContext()).orElse(new PodSecurityContext());
    SecurityContext c =
        Optional.ofNullable(container.getSecurityContext()).orElse(new SecurityContext());
    Optional<Capabilities> caps = Optional.ofNullable(c.getCapabilities());
    var security =
        new ContainerSecurity(
            first(c.getRunAsUser(), p.getRunAsUser()),
            first(c.getRunAsGroup(), p.getRunAsGroup()),
            Optional.ofNullable(p.getFsGroup()),
            Boolean.TRUE.equals(first(c.getRunAsNonRoot(), p.getRunAsNonRoot()).orElse(false)),
            Boolean.TRUE.equals(c.getReadOnlyRootFilesystem()),
            Boolean.FALSE.equals(c.getAllowPrivilegeEscalation()),
            Boolean.TRUE.equals(c.getPrivileged()),
            caps.map(Capabilities::getDrop).orElse(List.of()),
            caps.map(Capabilities::getAdd).orElse(List.of()),
            Optional.ofNullable(c.getSeccompProfile())
                .or(() -> Optional.ofNullable(p.getSeccompProfile()))
                .map(s -> s.getType()),
            Optional.ofNullable(p.getSupplementalGroups()).orElse(List.of()));
    if (security.nonRoot) {
      security.checkNonRoot(image);
    }
    return security;
  }

  /** kubelet's check: the user must be known to be non-zero before the container starts. */
  private void checkNonRoot(String image) {
    if (user.isPresent()) {
      if (user.get() == 0) {
        throw new IllegalStateException(
            "container's runAsUser breaks non-root policy (pod: runAsNonRoot, runAsUser 0)");
      }
      return;
    }
    String imageUser = imageUser(image).replaceFirst(":.*", "");
    if (imageUser.isEmpty() || imageUser.equals("0") || imageUser.equals("root")) {
      throw new IllegalStateException("container has runAsNonRoot and image will run as root");
    }
    if (!imageUser.matches("\\d+")) {
      throw new IllegalStateException(
          "container has runAsNonRoot and image has non-numeric user ("
              + imageUser
              + "), cannot verify user is non-root");
    }
  }

  List<String> options() {
    List<String> options = new ArrayList<>();
    user.ifPresent(u -> options.addAll(List.of("--user", u + group.map(g -> ":" + g).orElse(""))));
    fsGroup.ifPresent(g -> options.addAll(List.of("--group-add", Long.toString(g))));
    supplementalGroups.forEach(g -> options.addAll(List.of("--group-add", Long.toString(g))));
    if (readOnlyRoot) {
      // Kubernetes mounts no tmpfs of its own: what the pod may write is its volumes.
      options.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
    }
    if (noNewPrivileges) {
      options.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    if (privileged) {
      options.add("--privileged");
    }
    dropped.forEach(cap -> options.addAll(List.of("--cap-drop", cap)));
    added.forEach(cap -> options.addAll(List.of("--cap-add", cap)));
    seccomp.ifPresent(
        type -> {
          switch (type) {
            case "RuntimeDefault" -> {}
            case "Unconfined" -> options.addAll(List.of("--security-opt", "seccomp=unconfined"));
            default ->
                throw new IllegalStateException(
                    "seccompProfile " + type + " is not supported by the process node");
          }
        });
    return options;
  }

  private static <T> Optional<T> first(T preferred, T fallback) {
    return Optional.ofNullable(preferred != null ? preferred : fallback);
  }

  private static String imageUser(String image) {
    List<String> argv = new ArrayList<>(ContainerRun.PODMAN);
    argv.addAll(List.of("image", "inspect", "--format", "{{.Config.User}}", image));
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("image " + image + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("podman image inspect " + image + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
