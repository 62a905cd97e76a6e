package dev.cdds.operator.exporter.files;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * gzip on several threads, as pigz does it: the input is cut into blocks of {@link #BLOCK} bytes,
 * each compressed into a gzip member of its own by the pool, and the members are written in order.
 * Members one after the other are one standard gzip file (RFC 1952, 2.2) that {@code gzip -d} and
 * every library read. A flush compresses what was given so far and writes it out, so that the count
 * of bytes written is then exact, as with one stream's sync flush.
 */
final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK = 1 << 20;

  private final OutputStream out;
  private final int level;
  private final GzipMembers members;
  private final ExecutorService deflaters;
  private final int inFlight;
  private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] block = new byte[BLOCK];
  private int length;
  private boolean written;
  private boolean closed;

  /**
   * @param members what compresses a block into a member
   * @param deflaters the pool that compresses; {@code threads} of its threads are kept busy
   */
  ParallelGzipOutputStream(
      OutputStream out, int level, GzipMembers members, ExecutorService deflaters, int threads) {
    this.out = out;
    this.level = level;
    this.members = members;
    this.deflaters = deflaters;
    // Two blocks a thread: one being compressed, one waiting, at a few MiB whatever the file.
    this.inFlight = 2 * threads;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int count) throws IOException {
    while (count > 0) {
      int n = Math.min(count, BLOCK - length);
      System.arraycopy(bytes, offset, block, length, n);
      length += n;
      offset += n;
      count -= n;
      if (length == BLOCK) {
        submitBlock();
      }
    }
  }

  @Override
  public void flush() throws IOException {
    writeAllGiven();
    out.flush();
  }

  /**
   * Writes what is left and closes; a file given nothing still gets one (empty) member. As with
   * {@link java.util.zip.DeflaterOutputStream}, a failure to write leaves the file open (its part
   * is then aborted).
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    writeAllGiven();
    if (!written) {
      out.write(members.compress(new byte[0], 0, level));
    }
    closed = true;
    out.close();
  }

  /** Compresses the block being filled, and writes every member still pending. */
  private void writeAllGiven() throws IOException {
    submitBlock();
    while (!pending.isEmpty()) {
      writeOldest();
    }
  }

  private void submitBlock() throws IOException {
    if (length == 0) {
      return;
    }
    byte[] data = block;
    int size = length;
    pending.add(deflaters.submit(() -> members.compress(data, size, level)));
    block = new byte[BLOCK];
    length = 0;
    while (pending.size() > inFlight) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    try {
      out.write(pending.poll().get());
      written = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("compressing a block: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
