package dev.cdds.localcluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's root, found from the working directory (operator/ in Maven, the root in hack/).
 */
public final class Repository {
  public static final Path ROOT = find();

  private Repository() {}

  private static Path find() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("hack/k8s-tools.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("not inside the cdds-operator repository");
  }
}
