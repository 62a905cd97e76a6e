package dev.cdds.localcluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which local program stands in for an image's entrypoint. A container with its own {@code command}
 * runs that command as a local program; one without needs a launcher for its image.
 */
public final class ImageLaunchers {
  private final Map<String, List<String>> byImagePrefix = new LinkedHashMap<>();

  /** Images whose name (before the tag) equals or starts with {@code prefix} run {@code argv}. */
  public ImageLaunchers register(String prefix, List<String> entrypoint) {
    byImagePrefix.put(prefix, List.copyOf(entrypoint));
    return this;
  }

  Optional<List<String>> entrypointFor(String image) {
    String name = image.replaceFirst("[:@][^/]*$", "");
    return byImagePrefix.entrySet().stream()
        .filter(e -> name.equals(e.getKey()) || name.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** Docker semantics: {@code command} replaces the entrypoint, {@code args} follow it. */
  List<String> argv(String image, List<String> command, List<String> args) {
    List<String> argv = new ArrayList<>();
    if (command != null && !command.isEmpty()) {
      argv.addAll(command);
    } else {
      argv.addAll(
          entrypointFor(image)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no local launcher for image "
                              + image
                              + " and the container has no command")));
    }
    if (args != null) {
      argv.addAll(args);
    }
    return argv;
  }
}
