package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartFilesTest {
  private static final long LIMIT = 64 * 1024;

  @Test
  void gzipPartsStayWithinTheLimitAndKeepEveryRecord(@TempDir Path dir) throws Exception {
    var random = new SplittableRandom(3);
    var written = new ByteArrayOutputStream();
    List<PartFile> parts;
    try (var files = new PartFiles(dir, "jsonl", true, LIMIT, new byte[0])) {
      for (int i = 0; i < 20_000; i++) {
        byte[] record =
            ("{\"id\":" + i + ",\"v\":\"" + Long.toHexString(random.nextLong()) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        written.write(record);
        files.write(record, record.length);
      }
      parts = files.finish();
    }

    assertThat(parts).hasSizeGreaterThan(3);
    var read = new ByteArrayOutputStream();
    for (PartFile part : parts) {
      assertThat(Files.size(dir.resolve(part.name())))
          .isEqualTo(part.bytes())
          .isLessThanOrEqualTo(LIMIT);
      try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(part.name())))) {
        in.transferTo(read);
      }
    }
    assertThat(read.toByteArray()).isEqualTo(written.toByteArray());
    assertThat(parts.stream().mapToLong(PartFile::records).sum()).isEqualTo(20_000);
  }

  @Test
  void csvHeaderStartsEveryPartAndIsNotARecord(@TempDir Path dir) throws Exception {
    byte[] header = "id\r\n".getBytes(StandardCharsets.UTF_8);
    List<PartFile> parts;
    try (var files = new PartFiles(dir, "csv", false, 100, header)) {
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
}
