package dev.cdds.operator.exporter.files;

import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.StoreOutput;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.GZIPOutputStream;

/**
 * Writes records into part files {@code part-00000.<ext>[.gz]}, …, starting a new part when the
 * next record would take the current one past the split size, measured on the bytes written to the
 * destination; a record larger than the split size gets a part of its own.
 *
 * <p>Compression runs on a thread of its own, fed through a small queue, so that reading and
 * encoding rows overlaps with deflate as in {@code psql | gzip}. The size of a part is tracked as
 * an upper bound (compressed so far plus everything not yet flushed, uncompressed); only when that
 * bound crosses the limit does the writer wait for an exact flush and decide.
 */
public final class PartFiles implements AutoCloseable {
  private static final int CHUNK = 256 * 1024;
  private static final int QUEUED_CHUNKS = 4;

  /** gzip trailer, a sync block and deflate's worst-case growth on incompressible input. */
  private static final int GZIP_MARGIN = 64;

  private final RunStore store;
  private final String baseName;
  private final String suffix;
  private final boolean gzip;
  private final FileEnvelope envelope;
  private final long splitBytes;
  private final byte[] header;
  private final List<PartFile> done = new ArrayList<>();

  /** Bytes of the closed parts, kept as they close: bytes() is asked after every record. */
  private long doneBytes;

  private static final IoTask STOP = () -> {};
  private final BlockingQueue<IoTask> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
  private final Thread compressor;
  private volatile Exception failure;
  private Part current;
  private byte[] chunk = new byte[CHUNK];
  private int chunkLength;

  /** Input bytes of the current part handed over since its last exact flush. */
  private long unflushed;

  /** Files {@code <baseName>-00000.<extension>[.gz][.p7m]}, … in {@code store}. */
  public PartFiles(
      RunStore store,
      String baseName,
      String extension,
      boolean gzip,
      FileEnvelope envelope,
      long splitBytes,
      byte[] header) {
    this.store = store;
    this.baseName = baseName;
    this.suffix = "." + extension + (gzip ? ".gz" : "") + envelope.suffix();
    this.gzip = gzip;
    this.envelope = envelope;
    this.splitBytes = splitBytes;
    this.header = header;
    this.compressor = new Thread(this::compress, "part-files");
    this.compressor.setDaemon(true);
    this.compressor.start();
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
    stop();
    checkFailure();
    return List.copyOf(done);
  }

  /**
   * Stops the compressor; the part being written, if any, is given up. A write failure was already
   * thrown to the writer, so it is not thrown again here.
   */
  @Override
  public void close() {
    if (!compressor.isAlive()) {
      return;
    }
    if (current != null) {
      Part part = current;
      current = null;
      try {
        queue.put(part::abort);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stop();
  }

  private long upperBound(int length) {
    return current.counter.count + unflushed + chunkLength + length + margin();
  }

  private long exact(int length) {
    return current.counter.count + length + margin();
  }

  private long margin() {
    return (gzip ? GZIP_MARGIN : 0) + envelope.margin();
  }

  private void open() throws IOException {
    String name = String.format("%s-%05d%s", baseName, done.size(), suffix);
    current = new Part(name, store.create(name), gzip, envelope);
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
    Part part = current;
    unflushed += length;
    submit(() -> part.write(data, length));
    chunk = new byte[CHUNK];
    chunkLength = 0;
  }

  /** Waits until everything handed over is compressed and flushed: the count is then exact. */
  private void flushExactly() throws IOException {
    handOver();
    Part part = current;
    call(
        () -> {
          part.flush();
          return null;
        });
    unflushed = 0;
  }

  private void closeCurrent() throws IOException {
    handOver();
    Part part = current;
    PartFile closed = call(part::close);
    done.add(closed);
    doneBytes += closed.bytes();
    current = null;
  }

  /** Runs {@code task} on the compressor, after everything queued before it, and waits. */
  private <T> T call(IoCall<T> task) throws IOException {
    var result = new CompletableFuture<T>();
    submit(
        () -> {
          try {
            result.complete(task.call());
          } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
            throw e;
          }
        });
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing to " + store, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  private void submit(IoTask task) throws IOException {
    checkFailure();
    try {
      queue.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing to " + store, e);
    }
  }

  /** Lets the compressor finish what is queued and end; a failure is for the caller to check. */
  private void stop() {
    try {
      queue.put(STOP);
      compressor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs every task in order; after a failure the rest still run, so no caller waits forever. */
  private void compress() {
    while (true) {
      IoTask task;
      try {
        task = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (task == STOP) {
        return;
      }
      try {
        task.run();
      } catch (IOException | RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
  }

  private void checkFailure() throws IOException {
    Throwable t = failure;
    if (t != null) {
      throw t instanceof IOException io ? io : new IOException(t);
    }
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  @FunctionalInterface
  private interface IoTask {
    void run() throws IOException;
  }

  /** One file being written; used by the compressor thread only, but for its byte count. */
  private static final class Part {
    final String name;
    final MessageDigest sha256;
    final StoreOutput file;
    final Counter counter;
    final OutputStream out;
    final GZIPOutputStream gzip;
    long records;

    Part(String name, StoreOutput file, boolean compress, FileEnvelope envelope)
        throws IOException {
      this.name = name;
      this.file = file;
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      OutputStream sink = new BufferedOutputStream(new DigestOutputStream(file, sha256), 1 << 16);
      this.counter = new Counter(sink);
      OutputStream plain = envelope.open(counter);
      this.gzip = compress ? new GZIPOutputStream(plain, 1 << 16, true) : null;
      this.out = compress ? gzip : plain;
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
      return new PartFile(name, counter.count, records, HexFormat.of().formatHex(sha256.digest()));
    }
  }

  /** Counts what goes to the destination; read by the writer thread for its estimates. */
  private static final class Counter extends FilterOutputStream {
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
  }
}
