package dev.cdds.operator.storage;

import dev.cdds.operator.api.ExportJobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job's folder on a claim, which anyone who can write to the volume may have rearranged: the
 * folders from the mount down to a run must be real directories, since a symbolic link there would
 * lead reads, writes and deletions into another job's folder or out of the volume.
 */
public final class ClaimFolders {
  private ClaimFolders() {}

  /** Where spec.output.destination.pvc.path is under the claim's mount: the mount itself for /. */
  public static Path root(Path mount, ExportJobSpec spec) {
    return mount.resolve(folder(spec));
  }

  /**
   * spec.output.destination.pvc.path inside the volume, without its leading slash: "" for / or no
   * path (the operator's default claim), "a/b/" for /a/b.
   */
  public static String folder(ExportJobSpec spec) {
    var destination = spec.output == null ? null : spec.output.destination;
    if (destination == null || destination.pvc == null || destination.pvc.path == null) {
      return "";
    }
    String trimmed = destination.pvc.path.replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? "" : trimmed + "/";
  }

  /**
   * Refuses {@code folder} when it or a folder between it and {@code mount} is a symbolic link (a
   * folder not there yet is fine: it is created as a real one).
   */
  static void requireReal(Path mount, Path folder) throws IOException {
    Path relative = mount.relativize(folder);
    Path current = mount;
    for (Path segment : relative) {
      current = current.resolve(segment);
      if (Files.isSymbolicLink(current)) {
        throw new IOException(
            current
                + " is a symbolic link: refused, a job's folders on a claim must be real"
                + " directories");
      }
    }
  }
}
