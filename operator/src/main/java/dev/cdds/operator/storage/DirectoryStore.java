package dev.cdds.operator.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's files in {@code <root>/<namespace>/<exportjob>/<run-id>/}, as on a mounted volume. Every
 * access first checks that no folder from the mount down is a symbolic link ({@link ClaimFolders}),
 * and files are opened without following one.
 */
public final class DirectoryStore implements RunStore {
  private static final OpenOption[] WRITE_NEW = {
    StandardOpenOption.CREATE,
    StandardOpenOption.TRUNCATE_EXISTING,
    StandardOpenOption.WRITE,
    LinkOption.NOFOLLOW_LINKS
  };

  private final Path mount;
  private final Path dir;

  public DirectoryStore(Path root, RunTarget target) {
    this(root, root, target);
  }

  DirectoryStore(Path mount, Path root, RunTarget target) {
    this.mount = mount;
    this.dir = root.resolve(target.folder());
  }

  private Path checked(String name) throws IOException {
    ClaimFolders.requireReal(mount, dir);
    return dir.resolve(name);
  }

  public Path directory() {
    return dir;
  }

  @Override
  public Optional<Manifest> completed() throws IOException {
    Path manifest = checked(Manifest.FILE);
    if (!Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(manifest, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(Manifest.read(in));
    }
  }

  @Override
  public void clear(String prefix) throws IOException {
    ClaimFolders.requireReal(mount, dir);
    if (prefix.isEmpty()) {
      DirectoryArchive.deleteTree(dir);
      Files.createDirectories(dir);
      return;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
    } catch (NoSuchFileException e) {
      Files.createDirectories(dir);
      return;
    }
    for (Path file : files) {
      // A link is deleted, never followed; a folder is nobody's part.
      if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(file);
      }
    }
  }

  @Override
  public StoreOutput create(String name) throws IOException {
    Path file = checked(name);
    FileChannel channel = FileChannel.open(file, WRITE_NEW);
    OutputStream out = Channels.newOutputStream(channel);
    return new StoreOutput() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      /** On disk before the manifest that lists it can be. */
      @Override
      public void close() throws IOException {
        try (out) {
          channel.force(true);
        }
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

  /**
   * Written under a temporary name, forced to disk and renamed, and the rename forced too: a reader
   * never sees half of it, and after a crash of the node the manifest is there only with its parts
   * (which {@link #create} forced when each was closed).
   */
  @Override
  public void write(String name, byte[] content) throws IOException {
    Path temporary = checked(name + ".tmp");
    try (FileChannel channel = FileChannel.open(temporary, WRITE_NEW)) {
      ByteBuffer bytes = ByteBuffer.wrap(content);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(
        temporary,
        checked(name),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  @Override
  public InputStream open(String name) throws IOException {
    return Files.newInputStream(checked(name), LinkOption.NOFOLLOW_LINKS);
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
