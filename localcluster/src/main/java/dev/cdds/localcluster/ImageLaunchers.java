package dev.cdds.localcluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the process node runs a pod's image: as a real container of a local image (the container
 * runtime enforces what kubelet would: user, read-only root, limits, mounts at their paths), or, as
 * a fast path for tests that only need a process, as a local program standing in for the image's
 * entrypoint. A container with its own {@code command} on that path runs the command as a local
 * program.
 */
public final class ImageLaunchers {
  private final Map<String, List<String>> byImagePrefix = new LinkedHashMap<>();
  private final Map<String, String> localImages = new LinkedHashMap<>();

  /**
   * Images whose name (before the tag) equals or starts with {@code prefix} run as the local
   * process {@code entrypoint}: no container, no limits, the host's filesystem.
   */
  public ImageLaunchers asProcess(String prefix, List<String> entrypoint) {
    byImagePrefix.put(prefix, List.copyOf(entrypoint));
    return this;
  }

  /**
   * Images named {@code image}… run as containers of the local image {@code localImage}; an {@code
   * image} with a tag ({@code busybox:1.37}) stands for that tag alone.
   */
  public ImageLaunchers asContainer(String image, String localImage) {
    localImages.put(image, localImage);
    return this;
  }

  Optional<String> localImageFor(String image) {
    return registeredFor(localImages, image);
  }

  Optional<List<String>> entrypointFor(String image) {
    return registeredFor(byImagePrefix, image);
  }

  /**
   * What {@code image} was registered with: a key with a tag stands for that reference alone, one
   * without for every image whose name (before the tag) equals or starts with it.
   */
  private static <T> Optional<T> registeredFor(Map<String, T> registered, String image) {
    String name = image.replaceFirst("[:@][^/]*$", "");
    return registered.entrySet().stream()
        .filter(
            e ->
                e.getKey().contains(":")
                    ? image.equals(e.getKey())
                    : name.equals(e.getKey()) || name.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** Docker semantics: {@code command} replaces the entrypoint, {@code args} follow it. */
  List<String> argv(String image, List<String> command, List<String> args) {
    List<String> argv = new ArrayList<>();
    if (command != null && !command.isEmpty()) {
      argv.addAll(command);
    } else {
      argv.addAll(entrypointFor(image).orElseThrow(() -> new ImageNotFound(image)));
    }
    if (args != null) {
      argv.addAll(args);
    }
    return argv;
  }
}
