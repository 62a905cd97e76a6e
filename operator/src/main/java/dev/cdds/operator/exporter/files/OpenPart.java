package dev.cdds.operator.exporter.files;

import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.Sha256;
import dev.cdds.operator.storage.StoreOutput;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;

/**
 * One part file being written: compressed, enveloped, hashed and counted on its way to the store.
 * Used by the compressor thread only, but for its byte count.
 */
final class OpenPart {
  final String name;
  final MessageDigest sha256;
  final StoreOutput file;
  final Counter counter;
  final OutputStream out;
  long records;

  OpenPart(
      String name,
      StoreOutput file,
      PartCompression compression,
      ExecutorService deflaters,
      FileEnvelope envelope)
      throws IOException {
    this.name = name;
    this.file = file;
    this.sha256 = Sha256.digest();
    OutputStream sink = new BufferedOutputStream(new DigestOutputStream(file, sha256), 1 << 16);
    this.counter = new Counter(sink);
    this.out = compression.open(envelope.open(counter), deflaters);
  }

  public void write(byte[] bytes, int length) throws IOException {
    out.write(bytes, 0, length);
  }

  void flush() throws IOException {
    out.flush();
  }

  void abort() {
    file.abort();
  }

  PartFile close() throws IOException {
    out.close();
    return new PartFile(name, counter.count, records, Sha256.hex(sha256));
  }

  /** Counts what goes to the destination; read by the writer thread for its estimates. */
  static final class Counter extends FilterOutputStream {
    volatile long count;

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

    /**
     * A flush that fails is the failure: the file is not closed after it (FilterOutputStream would
     * try, fail the same way, and report the failure twice); the part is then aborted.
     */
    @Override
    public void close() throws IOException {
      flush();
      out.close();
    }
  }
}
