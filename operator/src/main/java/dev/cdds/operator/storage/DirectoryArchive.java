package dev.cdds.operator.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The runs of a job in {@code <root>/<namespace>/<exportjob>/}, as on a mounted volume. */
public final class DirectoryArchive implements ExportJobArchive {
  private final Path root;
  private final String namespace;
  private final String exportJob;

  public DirectoryArchive(Path root, String namespace, String exportJob) {
    this.root = root;
    this.namespace = namespace;
    this.exportJob = exportJob;
  }

  private Path folder() {
    return root.resolve(namespace).resolve(exportJob);
  }

  @Override
  public List<String> runIds() throws IOException {
    if (!Files.isDirectory(folder())) {
      return List.of();
    }
    try (Stream<Path> runs = Files.list(folder())) {
      return runs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public DirectoryStore run(String runId) {
    return new DirectoryStore(root, new RunTarget(namespace, exportJob, runId));
  }

  @Override
  public int delete(String runId) throws IOException {
    return deleteTree(folder().resolve(runId));
  }

  /** Deletes {@code dir} and everything in it; returns the number of files deleted. */
  static int deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
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
