package dev.cdds.localcluster;

import java.nio.file.Path;

/**
 * Where the local cluster and the tests keep their state (databases, logs, pods' volumes): the
 * system property {@code cdds.testWorkDir}, which the build sets to {@code target/it}.
 */
public final class WorkDirectory {
  private WorkDirectory() {}

  public static Path path() {
    return Path.of(System.getProperty("cdds.testWorkDir", "target/it")).toAbsolutePath();
  }
}
