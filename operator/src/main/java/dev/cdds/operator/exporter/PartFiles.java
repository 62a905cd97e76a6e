package dev.cdds.operator.exporter;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes records into part files {@code part-00000.<ext>[.gz]}, starting a new part when the next
 * record would take the current one past the split size, measured on the bytes written to the
 * destination. With gzip, output is flushed every {@value #SYNC_EVERY} input bytes so that the
 * compressed size is known; a record larger than the split size gets a part of its own.
 */
final class PartFiles implements AutoCloseable {
  static final int SYNC_EVERY = 64 * 1024;

  /** gzip trailer, a sync block and deflate's worst-case growth over SYNC_EVERY bytes. */
  private static final int GZIP_MARGIN = 64;

  private final Path dir;
  private final String suffix;
  private final boolean gzip;
  private final long splitBytes;
  private final byte[] header;
  private final List<PartFile> done = new ArrayList<>();
  private Part current;

  PartFiles(Path dir, String extension, boolean gzip, long splitBytes, byte[] header) {
    this.dir = dir;
    this.suffix = "." + extension + (gzip ? ".gz" : "");
    this.gzip = gzip;
    this.splitBytes = splitBytes;
    this.header = header;
  }

  void write(byte[] record, int length) throws IOException {
    if (current == null) {
      current = open();
    } else if (current.records > 0 && current.projected(length) > splitBytes) {
      done.add(current.close());
      current = open();
    }
    current.write(record, length);
  }

  /** Bytes written to the destination so far, closed parts and the open one. */
  long bytes() {
    return done.stream().mapToLong(PartFile::bytes).sum()
        + (current == null ? 0 : current.counter.count);
  }

  int completedFiles() {
    return done.size();
  }

  /** Closes the last part and lists them all; a run without records has one empty part. */
  List<PartFile> finish() throws IOException {
    if (current == null) {
      current = open();
    }
    done.add(current.close());
    current = null;
    return List.copyOf(done);
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
    }
  }

  private Part open() throws IOException {
    String name = String.format("part-%05d%s", done.size(), suffix);
    var part = new Part(name, dir.resolve(name), gzip);
    part.write(header, header.length);
    part.records = 0;
    return part;
  }

  /** One file being written. */
  private static final class Part {
    final String name;
    final MessageDigest sha256;
    final Counter counter;
    final OutputStream out;
    final GZIPOutputStream gzip;
    long records;
    long sinceSync;

    Part(String name, Path file, boolean compress) throws IOException {
      this.name = name;
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      OutputStream sink =
          new BufferedOutputStream(
              new DigestOutputStream(Files.newOutputStream(file), sha256), 1 << 16);
      this.counter = new Counter(sink);
      this.gzip = compress ? new GZIPOutputStream(counter, 1 << 16, true) : null;
      this.out = compress ? gzip : counter;
    }

    long projected(int length) {
      return gzip == null
          ? counter.count + length
          : counter.count + sinceSync + length + GZIP_MARGIN;
    }

    void write(byte[] bytes, int length) throws IOException {
      out.write(bytes, 0, length);
      records++;
      if (gzip != null) {
        sinceSync += length;
        if (sinceSync >= SYNC_EVERY) {
          gzip.flush();
          sinceSync = 0;
        }
      }
    }

    PartFile close() throws IOException {
      out.close();
      return new PartFile(name, counter.count, records, HexFormat.of().formatHex(sha256.digest()));
    }
  }

  /** Counts what goes to the destination. */
  private static final class Counter extends FilterOutputStream {
    long count;

    Counter(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
