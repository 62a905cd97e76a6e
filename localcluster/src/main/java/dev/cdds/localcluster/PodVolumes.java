package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pod's volumes as local directories: emptyDir lives with the pod, a PVC in a directory shared by
 * every pod of the namespace that claims it, Secrets and ConfigMaps are written out as files. A
 * container gets them bind-mounted at their paths; a local process can't have directories mounted,
 * so for it each mount path is rewritten wherever it appears in the command, arguments and
 * environment.
 */
final class PodVolumes {
  static final String SERVICE_ACCOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

  private final Map<String, Path> mounts = new LinkedHashMap<>();
  private final Set<String> readOnly = new HashSet<>();

  /** Local directories a pod may write to (emptyDir, claims): the pod's fsGroup applies to them. */
  private final Set<Path> writable = new LinkedHashSet<>();

  private PodVolumes() {}

  /** No volumes yet; {@link #map} adds them. */
  static PodVolumes none() {
    return new PodVolumes();
  }

  static PodVolumes prepare(
      KubernetesClient client, Pod pod, Container container, Path podDir, Path pvcRoot)
      throws IOException {
    var volumes = new PodVolumes();
    String namespace = pod.getMetadata().getNamespace();
    Map<String, Volume> byName = new LinkedHashMap<>();
    for (Volume volume : pod.getSpec().getVolumes()) {
      byName.put(volume.getName(), volume);
    }
    for (var mount : container.getVolumeMounts()) {
      Volume volume = byName.get(mount.getName());
      if (volume == null) {
        throw new IllegalStateException("volumeMount " + mount.getName() + " has no volume");
      }
      Path dir = materialize(client, namespace, volume, podDir, pvcRoot);
      Path local = mount.getSubPath() == null ? dir : dir.resolve(mount.getSubPath());
      Files.createDirectories(local);
      volumes.mounts.put(mount.getMountPath(), local);
      boolean files = volume.getSecret() != null || volume.getConfigMap() != null;
      if (files || Boolean.TRUE.equals(mount.getReadOnly())) {
        volumes.readOnly.add(mount.getMountPath());
      } else {
        volumes.writable.add(local);
      }
    }
    return volumes;
  }

  private static Path materialize(
      KubernetesClient client, String namespace, Volume volume, Path podDir, Path pvcRoot)
      throws IOException {
    if (volume.getEmptyDir() != null) {
      return Files.createDirectories(podDir.resolve("volumes").resolve(volume.getName()));
    }
    if (volume.getPersistentVolumeClaim() != null) {
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
        throw new IllegalStateException("persistentvolumeclaim \"" + claim + "\" not found");
      }
      return Files.createDirectories(pvcRoot.resolve(namespace).resolve(claim));
    }
    if (volume.getSecret() != null) {
      var secret =
          client
              .secrets()
              .inNamespace(namespace)
              .withName(volume.getSecret().getSecretName())
              .get();
      if (secret == null) {
        throw new IllegalStateException(
            "secret \"" + volume.getSecret().getSecretName() + "\" not found");
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      secret.getData().forEach((k, v) -> files.put(k, Base64.getDecoder().decode(v)));
      return writeFiles(podDir, volume.getName(), files, volume.getSecret().getItems());
    }
    if (volume.getConfigMap() != null) {
      var map =
          client
              .configMaps()
              .inNamespace(namespace)
              .withName(volume.getConfigMap().getName())
              .get();
      if (map == null) {
        throw new IllegalStateException(
            "configmap \"" + volume.getConfigMap().getName() + "\" not found");
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      map.getData().forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
      return writeFiles(podDir, volume.getName(), files, volume.getConfigMap().getItems());
    }
    throw new IllegalStateException(
        "volume "
            + volume.getName()
            + ": only emptyDir, persistentVolumeClaim, secret and"
            + " configMap volumes are supported by the process node");
  }

  private static Path writeFiles(
      Path podDir, String name, Map<String, byte[]> data, List<KeyToPath> items)
      throws IOException {
    Path dir = Files.createDirectories(podDir.resolve("volumes").resolve(name));
    if (items == null || items.isEmpty()) {
      for (var entry : data.entrySet()) {
        Files.write(dir.resolve(entry.getKey()), entry.getValue());
      }
    } else {
      for (KeyToPath item : items) {
        Path file = dir.resolve(item.getPath());
        Files.createDirectories(file.getParent());
        Files.write(file, data.getOrDefault(item.getKey(), new byte[0]));
      }
    }
    return dir;
  }

  /** Maps a container path (a file or directory) to a local one, as kubelet's mounts would. */
  void map(String containerPath, Path local) {
    mounts.put(containerPath, local);
  }

  /** The same, read-only in a container. */
  void mapReadOnly(String containerPath, Path local) {
    mounts.put(containerPath, local);
    readOnly.add(containerPath);
  }

  /** Container path to local path, in the order the container's mounts were given. */
  Map<String, Path> mounts() {
    return Map.copyOf(mounts);
  }

  boolean readOnly(String containerPath) {
    return readOnly.contains(containerPath);
  }

  Set<Path> writable() {
    return Set.copyOf(writable);
  }

  /**
   * Replaces every mapped container path in {@code value} in one pass, longest first, so that a
   * replacement (a local path, maybe under /tmp) is never itself rewritten.
   */
  String rewrite(String value) {
    if (value == null || mounts.isEmpty()) {
      return value;
    }
    Map<String, String> local = new LinkedHashMap<>();
    mounts.forEach((path, dir) -> local.put(stripSlash(path), dir.toString()));
    String alternatives =
        local.keySet().stream()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .map(Pattern::quote)
            .reduce((a, b) -> a + "|" + b)
            .orElseThrow();
    Matcher m =
        Pattern.compile("(?<![\\w./-])(" + alternatives + ")(?=/|$|[^\\w.-])").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(local.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  List<String> rewrite(List<String> values) {
    return values.stream().map(this::rewrite).toList();
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
