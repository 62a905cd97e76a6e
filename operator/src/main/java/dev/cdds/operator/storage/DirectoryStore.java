package dev.cdds.operator.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** A run's files in {@code <root>/<namespace>/<exportjob>/<run-id>/}, as on a mounted volume. */
public final class DirectoryStore implements RunStore {
  private final Path dir;

  public DirectoryStore(Path root, RunTarget target) {
    this.dir = root.resolve(target.folder());
  }

  public Path directory() {
    return dir;
  }

  @Override
  public Optional<Manifest> completed() throws IOException {
    Path manifest = dir.resolve(Manifest.FILE);
    return Files.exists(manifest)
        ? Optional.of(Manifest.parse(Files.readAllBytes(manifest)))
        : Optional.empty();
  }

  @Override
  public void clear() throws IOException {
    DirectoryArchive.deleteTree(dir);
    Files.createDirectories(dir);
  }

  @Override
  public StoreOutput create(String name) throws IOException {
    Path file = dir.resolve(name);
    OutputStream out = Files.newOutputStream(file);
    return new StoreOutput() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.close();
      }

      @Override
      public void abort() {
        try {
          out.close();
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // The next attempt clears the run's directory before writing anything.
        }
      }
    };
  }

  /** Written under a temporary name and renamed, so a reader never sees half of it. */
  @Override
  public void publish(Manifest manifest) throws IOException {
    Path temporary = dir.resolve(Manifest.FILE + ".tmp");
    Files.write(temporary, manifest.toJson());
    Files.move(
        temporary,
        dir.resolve(Manifest.FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public InputStream open(String name) throws IOException {
    return Files.newInputStream(dir.resolve(name));
  }

  @Override
  public String location(String name) {
    return dir.resolve(name).toString();
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
