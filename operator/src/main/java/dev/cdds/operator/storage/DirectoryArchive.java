package dev.cdds.operator.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runs of a job in {@code <root>/<namespace>/<exportjob>/}, as on a mounted volume; {@code
 * root} is the claim's mount or the directory spec.output.destination.pvc.path names in it ({@link
 * ClaimFolders#root}). No symbolic link is followed from the mount down (see {@link ClaimFolders}).
 */
public final class DirectoryArchive implements ExportJobArchive {
  private final Path mount;
  private final Path root;
  private final String namespace;
  private final String exportJob;

  /** The runs under {@code root}, checked from {@code root} down. */
  public DirectoryArchive(Path root, String namespace, String exportJob) {
    this(root, root, namespace, exportJob);
  }

  /** The runs under {@code root}, a directory in the claim mounted at {@code mount}. */
  public DirectoryArchive(Path mount, Path root, String namespace, String exportJob) {
    this.mount = mount;
    this.root = root;
    this.namespace = namespace;
    this.exportJob = exportJob;
  }

  private Path folder() {
    return root.resolve(namespace).resolve(exportJob);
  }

  @Override
  public List<String> runIds() throws IOException {
    ClaimFolders.requireReal(mount, folder());
    if (!Files.isDirectory(folder())) {
      return List.of();
    }
    try (Stream<Path> runs = Files.list(folder())) {
      return runs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  @Override
  public DirectoryStore run(String runId) {
    return new DirectoryStore(mount, root, target(runId));
  }

  @Override
  public int delete(String runId) throws IOException {
    ClaimFolders.requireReal(mount, folder().resolve(runId));
    return deleteTree(folder().resolve(runId));
  }

  @Override
  public RunTarget target(String runId) {
    return new RunTarget(namespace, exportJob, runId);
  }

  /** Deletes {@code dir} and everything in it; returns the number of files deleted. */
  static int deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
    }
    int files = 0;
    for (Path path : paths) {
      if (Files.isRegularFile(path)) {
        files++;
      }
      Files.delete(path);
    }
    return files;
  }

  @Override
  public String location() {
    return folder().toString();
  }

  @Override
  public void close() {}
}
