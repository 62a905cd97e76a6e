package dev.cdds.operator.exporter.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gzip compressed in blocks on two threads, by libdeflate and by the JDK's zlib: one standard file,
 * read back by gzip -d.
 */
class ParallelGzipOutputStreamTest {
  private final ExecutorService deflaters = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() {
    deflaters.shutdownNow();
  }

  static Stream<GzipMembers> members() {
    return Stream.of(GzipMembers.BEST, new GzipMembers.ByZlib());
  }

  @Test
  void libdeflateCompressesWhereTheSystemHasIt() {
    // The image and CI install Debian's libdeflate0: without it every gzip test below would test
    // the JDK's zlib twice.
    assertThat(GzipMembers.BEST).isInstanceOf(GzipMembers.ByLibdeflate.class);
  }

  @ParameterizedTest
  @MethodSource("members")
  void manyBlocksAndFlushesDecompressWithGzipToExactlyTheInput(
      GzipMembers members, @TempDir Path dir) throws Exception {
    var random = new SplittableRandom(11);
    var input = new ByteArrayOutputStream();
    Path file = dir.resolve("part-00000.jsonl.gz");
    long flushedSize = -1;
    try (OutputStream gzip =
        new ParallelGzipOutputStream(Files.newOutputStream(file), 6, members, deflaters, 2)) {
      for (int i = 0; i < 120_000; i++) {
        byte[] line =
            ("{\"id\":" + i + ",\"v\":\"" + Long.toHexString(random.nextLong()) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        input.write(line);
        gzip.write(line);
        if (i == 70_000) {
          gzip.flush();
          flushedSize = Files.size(file);
        }
      }
    }

    assertThat(input.size()).isGreaterThan(4 * ParallelGzipOutputStream.BLOCK);
    assertThat(flushedSize).as("a flush writes out all it was given").isPositive();
    assertThat(gunzip(file)).isEqualTo(input.toByteArray());
    assertThat(Files.size(file)).isLessThan(input.size() / 2);
  }

  @ParameterizedTest
  @MethodSource("members")
  void anEmptyFileIsStillAGzipFile(GzipMembers members, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("part-00000.jsonl.gz");
    new ParallelGzipOutputStream(Files.newOutputStream(file), 6, members, deflaters, 2).close();

    assertThat(gunzip(file)).isEmpty();
  }

  private static byte[] gunzip(Path file) throws Exception {
    Process gzip =
        new ProcessBuilder("gzip", "-d", "-c", file.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out = gzip.getInputStream().readAllBytes();
    assertThat(gzip.waitFor()).as("gzip -d " + file.getFileName()).isZero();
    return out;
  }
}
