package dev.cdds.operator.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where one run's files go: a directory on a volume or a prefix in a bucket. A file becomes visible
 * when its output is closed; the manifest is published last, and a run with a manifest is complete.
 */
public interface RunStore {
  /** The manifest of this run if an earlier attempt completed it. */
  Optional<Manifest> completed() throws IOException;

  /** Removes whatever an incomplete earlier attempt of this run left behind. */
  default void clear() throws IOException {
    clear("");
  }

  /**
   * Removes the files of this run whose names start with {@code prefix}: what an earlier attempt of
   * one partition left behind.
   */
  void clear(String prefix) throws IOException;

  /** A new file of this run; it replaces any file of that name once the output is closed. */
  StoreOutput create(String name) throws IOException;

  /** Publishes the manifest, all at once: readers see all of it or none. */
  default void publish(Manifest manifest) throws IOException {
    write(Manifest.FILE, manifest.toJson());
  }

  /** A small file of this run, written all at once: readers see all of it or none. */
  void write(String name, byte[] content) throws IOException;

  /**
   * Reads a file of this run as stored.
   *
   * @throws java.nio.file.NoSuchFileException when the run has no such file, on any store
   */
  InputStream open(String name) throws IOException;

  /** Where {@code name} is, as a user would look for it (a path or an s3:// URL). */
  String location(String name);
}
