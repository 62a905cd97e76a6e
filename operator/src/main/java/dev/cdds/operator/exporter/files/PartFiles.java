package dev.cdds.operator.exporter.files;

import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes records into part files {@code part-00000.<ext>[.gz|.zst]}, …, starting a new part when
 * the next record would take the current one past the split size, measured on the bytes written to
 * the destination; a record larger than the split size gets a part of its own.
 *
 * <p>Compression runs on a thread of its own (gzip's blocks on a pool beside it), fed through a
 * small queue, so that reading and encoding rows overlaps with compressing as in {@code psql |
 * gzip}. The size of a part is tracked as an upper bound (compressed so far plus everything not yet
 * flushed, uncompressed); only when that bound crosses the limit does the writer wait for an exact
 * flush and decide.
 */
public final class PartFiles implements AutoCloseable {
  private static final int CHUNK = 256 * 1024;
  private static final int QUEUED_CHUNKS = 4;

  private final RunStore store;
  private final String baseName;
  private final String suffix;
  private final PartCompression compression;
  private final FileEnvelope envelope;
  private final long splitBytes;
  private final byte[] header;
  private final List<PartFile> done = new ArrayList<>();

  /** Bytes of the closed parts, kept as they close: bytes() is asked after every record. */
  private long doneBytes;

  private final CompressorThread compressor;

  /** The pool that compresses gzip's blocks, or null for other compressions. */
  private final ExecutorService deflaters;

  private OpenPart current;
  private byte[] chunk = new byte[CHUNK];
  private int chunkLength;

  /** Input bytes of the current part handed over since its last exact flush. */
  private long unflushed;

  /** Files {@code <baseName>-00000.<extension>[.gz|.zst][.p7m]}, … in {@code store}. */
  public PartFiles(
      RunStore store,
      String baseName,
      String extension,
      PartCompression compression,
      FileEnvelope envelope,
      long splitBytes,
      byte[] header) {
    this.store = store;
    this.baseName = baseName;
    this.suffix = "." + extension + compression.suffix() + envelope.suffix();
    this.compression = compression;
    this.envelope = envelope;
    this.splitBytes = splitBytes;
    this.header = header;
    this.compressor = new CompressorThread(QUEUED_CHUNKS, store);
    this.deflaters =
        compression.pooled()
            ? Executors.newFixedThreadPool(compression.threads(), PartFiles::deflater)
            : null;
  }

  private static Thread deflater(Runnable task) {
    var thread = new Thread(task, "gzip-deflater");
    thread.setDaemon(true);
    return thread;
  }

  public void write(byte[] record, int length) throws IOException {
    if (current == null) {
      open();
    } else if (current.records > 0 && upperBound(length) > splitBytes) {
      flushExactly();
      if (exact(length) > splitBytes) {
        closeCurrent();
        open();
      }
    }
    append(record, length);
    current.records++;
  }

  /** Bytes written to the destination so far (the open part's count lags a little). */
  public long bytes() {
    return doneBytes + (current == null ? 0 : current.counter.count);
  }

  public int completedFiles() {
    return done.size();
  }

  /** Closes the last part and lists them all; a run without records has one empty part. */
  public List<PartFile> finish() throws IOException {
    if (current == null) {
      open();
    }
    closeCurrent();
    compressor.finish();
    return List.copyOf(done);
  }

  /**
   * Stops the compressor; the part being written, if any, is given up. A write failure was already
   * thrown to the writer, so it is not thrown again here.
   */
  @Override
  public void close() {
    try {
      if (!compressor.isAlive()) {
        return;
      }
      if (current != null) {
        OpenPart part = current;
        current = null;
        compressor.putQuietly(part::abort);
      }
      compressor.stop();
    } finally {
      // Only once the compressor has ended: it may be waiting for a block the pool compresses.
      if (deflaters != null) {
        deflaters.shutdownNow();
      }
    }
  }

  private long upperBound(int length) {
    return current.counter.count + unflushed + chunkLength + length + margin();
  }

  private long exact(int length) {
    return current.counter.count + length + margin();
  }

  private long margin() {
    return compression.margin() + envelope.margin();
  }

  private void open() throws IOException {
    String name = String.format("%s-%05d%s", baseName, done.size(), suffix);
    current = new OpenPart(name, store.create(name), compression, deflaters, envelope);
    unflushed = 0;
    append(header, header.length);
  }

  private void append(byte[] bytes, int length) throws IOException {
    if (chunkLength + length > chunk.length) {
      handOver();
      if (length > chunk.length) {
        chunk = new byte[length];
      }
    }
    System.arraycopy(bytes, 0, chunk, chunkLength, length);
    chunkLength += length;
  }

  /** Queues the pending chunk for the compressor, which then owns that buffer. */
  private void handOver() throws IOException {
    if (chunkLength == 0) {
      return;
    }
    byte[] data = chunk;
    int length = chunkLength;
    OpenPart part = current;
    unflushed += length;
    compressor.submit(() -> part.write(data, length));
    chunk = new byte[CHUNK];
    chunkLength = 0;
  }

  /** Waits until everything handed over is compressed and flushed: the count is then exact. */
  private void flushExactly() throws IOException {
    handOver();
    OpenPart part = current;
    compressor.call(
        () -> {
          part.flush();
          return null;
        });
    unflushed = 0;
  }

  private void closeCurrent() throws IOException {
    handOver();
    OpenPart part = current;
    PartFile closed = compressor.call(part::close);
    done.add(closed);
    doneBytes += closed.bytes();
    current = null;
  }
}
