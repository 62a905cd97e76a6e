package dev.cdds.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The project's image, built from the Dockerfile by {@code hack/image.sh}, and the other images its
 * pods use, built the same way (a no-op when nothing changed) the first time a pod of it is to run:
 * the process node runs it with podman. A machine that cannot build or run it fails here, loudly,
 * instead of running the pods some other way.
 */
public final class ProductImage {
  /** What users pull for the reader pod of {@code kubectl cdds download}. */
  public static final String READER = "busybox:1.37";

  private static String name;
  private static String reader;

  private ProductImage() {}

  /** The local image's name, built once per JVM. */
  public static synchronized String name() {
    if (name == null) {
      name = build();
    }
    return name;
  }

  /** The local stand-in for the reader pod's image (busybox with tar), built once per JVM. */
  public static synchronized String reader() {
    if (reader == null) {
      reader = build("reader");
    }
    return reader;
  }

  private static String build(String... target) {
    var command =
        new java.util.ArrayList<>(
            List.of("bash", Repository.ROOT.resolve("hack/image.sh").toString()));
    command.addAll(List.of(target));
    try {
      Path log = Files.createDirectories(WorkDirectory.path()).resolve("image-build.log");
      Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            "hack/image.sh failed: this machine cannot build or run the project's image (see"
                + " docs/ci.md: podman, runc, mmdebstrap); pods of it cannot run:\n"
                + Files.readString(log));
      }
      List<String> lines = out.strip().lines().toList();
      return lines.get(lines.size() - 1);
    } catch (IOException e) {
      throw new IllegalStateException("hack/image.sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
