package dev.cdds.operator.exporter.files;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The thread that compresses and writes parts, fed through a small queue so that reading rows
 * overlaps with deflate. Tasks run in the order given; after a failure the rest still run, so no
 * caller waits forever, and the failure is thrown to the next caller.
 */
final class CompressorThread {
  private static final IoTask STOP = () -> {};

  private final BlockingQueue<IoTask> queue;
  private final Thread thread;
  private final Object destination;
  private volatile Exception failure;

  /** {@code destination}: named in the message of an interrupted write. */
  CompressorThread(int queued, Object destination) {
    this.queue = new ArrayBlockingQueue<>(queued);
    this.destination = destination;
    this.thread = new Thread(this::compress, "part-files");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  /** Lets everything queued run, ends the thread, and throws what failed, if anything did. */
  void finish() throws IOException {
    stop();
    checkFailure();
  }

  /** Queues {@code task} even after a failure, as a clean-up. */
  void putQuietly(IoTask task) {
    try {
      queue.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code task} on the compressor, after everything queued before it, and waits. */
  <T> T call(IoCall<T> task) throws IOException {
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
      throw new IOException("interrupted while writing to " + destination, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  void submit(IoTask task) throws IOException {
    checkFailure();
    try {
      queue.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing to " + destination, e);
    }
  }

  /** Lets the compressor finish what is queued and end; a failure is for the caller to check. */
  void stop() {
    try {
      queue.put(STOP);
      thread.join();
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
  interface IoCall<T> {
    T call() throws IOException;
  }

  @FunctionalInterface
  interface IoTask {
    void run() throws IOException;
  }
}
