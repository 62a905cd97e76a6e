package dev.cdds.operator.exporter.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdds.operator.api.Compression;
import dev.cdds.operator.storage.DirectoryStore;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.storage.StoreOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartFilesTest {
  private static final long LIMIT = 64 * 1024;

  /**
   * gzip and zstd parts, compressed on one thread and on two: each part is a standard file that
   * {@code gzip -d} or {@code zstd -d} reads, within the split size, and together they give back
   * exactly what was written, every record counted.
   */
  @ParameterizedTest
  @CsvSource({
    "GZIP, 6, 1, .gz, gzip",
    "GZIP, 1, 1, .gz, gzip",
    "GZIP, 6, 2, .gz, gzip",
    "ZSTD, 3, 1, .zst, zstd",
    "ZSTD, 19, 2, .zst, zstd"
  })
  void partsAreReadByTheStandardToolsBackToExactlyWhatWasWritten(
      Compression kind, int level, int threads, String suffix, String tool, @TempDir Path root)
      throws Exception {
    Path dir = storeIn(root).directory();
    var random = new SplittableRandom(7);
    var written = new ByteArrayOutputStream();
    List<PartFile> parts;
    try (var files =
        new PartFiles(
            storeIn(root),
            "part",
            "jsonl",
            new PartCompression(kind, level, threads),
            FileEnvelope.NONE,
            LIMIT,
            new byte[0])) {
      for (int i = 0; i < 20_000; i++) {
        byte[] record =
            ("{\"id\":" + i + ",\"v\":\"" + Long.toHexString(random.nextLong()) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        written.write(record);
        files.write(record, record.length);
      }
      parts = files.finish();
    }

    assertThat(parts).hasSizeGreaterThan(3).allMatch(p -> p.name().endsWith(".jsonl" + suffix));
    var read = new ByteArrayOutputStream();
    for (PartFile part : parts) {
      Path file = dir.resolve(part.name());
      assertThat(Files.size(file)).isEqualTo(part.bytes()).isLessThanOrEqualTo(LIMIT);
      Process decompress =
          new ProcessBuilder(tool, "-d", "-c", file.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      decompress.getInputStream().transferTo(read);
      assertThat(decompress.waitFor()).as(tool + " -d " + part.name()).isZero();
    }
    assertThat(read.toByteArray()).isEqualTo(written.toByteArray());
    assertThat(parts.stream().mapToLong(PartFile::records).sum()).isEqualTo(20_000);
  }

  @Test
  void csvHeaderStartsEveryPartAndIsNotARecord(@TempDir Path root) throws Exception {
    Path dir = storeIn(root).directory();
    byte[] header = "id\r\n".getBytes(StandardCharsets.UTF_8);
    List<PartFile> parts;
    try (var files =
        new PartFiles(
            storeIn(root), "part", "csv", PartCompression.NONE, FileEnvelope.NONE, 100, header)) {
      for (int i = 0; i < 50; i++) {
        byte[] record = (i + "\r\n").getBytes(StandardCharsets.UTF_8);
        files.write(record, record.length);
      }
      parts = files.finish();
    }

    assertThat(parts).hasSizeGreaterThan(1);
    for (PartFile part : parts) {
      assertThat(Files.readString(dir.resolve(part.name()))).startsWith("id\r\n");
      assertThat(part.bytes()).isLessThanOrEqualTo(100);
    }
    assertThat(parts.stream().mapToLong(PartFile::records).sum()).isEqualTo(50);
  }

  @ParameterizedTest
  @CsvSource({"NONE, 1", "GZIP, 2"})
  void aDestinationFailureReachesTheWriterOnceAndTheOpenPartIsGivenUp(
      Compression kind, int threads) {
    var aborted = new java.util.concurrent.atomic.AtomicBoolean();
    RunStore full = new FailingStore(aborted);
    byte[] record = new byte[1024];

    assertThatThrownBy(
            () -> {
              try (var files =
                  new PartFiles(
                      full,
                      "part",
                      "jsonl",
                      new PartCompression(kind, 6, threads),
                      FileEnvelope.NONE,
                      Long.MAX_VALUE,
                      new byte[0])) {
                for (int i = 0; i < 10_000; i++) {
                  files.write(record, record.length);
                }
                files.finish();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessage("No space left on device")
        .hasNoSuppressedExceptions();
    assertThat(aborted).isTrue();
  }

  /** A destination that fails every write, as a full volume does. */
  private static final class FailingStore implements RunStore {
    private final java.util.concurrent.atomic.AtomicBoolean aborted;

    FailingStore(java.util.concurrent.atomic.AtomicBoolean aborted) {
      this.aborted = aborted;
    }

    @Override
    public java.util.Optional<Manifest> completed() {
      return java.util.Optional.empty();
    }

    @Override
    public void clear(String prefix) {}

    @Override
    public StoreOutput create(String name) {
      return new StoreOutput() {
        @Override
        public void write(int b) throws IOException {
          throw new IOException("No space left on device");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          throw new IOException("No space left on device");
        }

        @Override
        public void abort() {
          aborted.set(true);
        }
      };
    }

    @Override
    public void write(String name, byte[] content) {}

    @Override
    public java.io.InputStream open(String name) {
      throw new UnsupportedOperationException("nothing is read back from a full disk");
    }

    @Override
    public String location(String name) {
      return "full:" + name;
    }
  }

  private static DirectoryStore storeIn(Path root) throws IOException {
    var store = new DirectoryStore(root, new RunTarget("ns", "job", "run"));
    store.clear();
    return store;
  }
}
