package dev.cdds.operator.plugin;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --claim-dir}: where a job's PersistentVolumeClaim is readable on this machine. */
final class ClaimDirOption {
  @Option(
      names = "--claim-dir",
      paramLabel = "DIR",
      description =
          "Where the job's PersistentVolumeClaim is mounted on this machine (not needed for S3).")
  Path dir;

  Optional<Path> dir() {
    return Optional.ofNullable(dir);
  }
}
