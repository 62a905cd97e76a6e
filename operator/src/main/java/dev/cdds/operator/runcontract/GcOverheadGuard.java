package dev.cdds.operator.runcontract;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a JVM that spends its time collecting garbage instead of working. With G1 a heap that is
 * too small for its live set rarely ends in {@link OutOfMemoryError}: full collections follow each
 * other and the process stays alive, answering probes, doing nothing else (a 256 MiB operator with
 * 10,000 ExportJobs spent 421 s of 24 min in GC and never recovered). Once more than {@link #LIMIT}
 * of the last window went to collections, the guard trips, once: it logs the figures, hands the
 * reason to the process (an export pod writes it as its run's failure; the operator's /healthz
 * fails) and halts it with its exit code, so that the kubelet restarts it.
 *
 * <p>It samples the collectors' accumulated time every second on a thread of its own, allocating
 * nothing on the way: a starved heap also starves what would allocate to report on it (GC
 * notifications are dropped then, and classes cannot be loaded). What it needs to end the process
 * is made when it is installed (the line it prints, the stream), and it halts the process rather
 * than exit it.
 */
public final class GcOverheadGuard implements Runnable {
  /** Share of wall time spent collecting that means the process no longer works. */
  public static final double LIMIT = 0.5;

  /** How far back the share is measured, by default. */
  public static final Duration WINDOW = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(GcOverheadGuard.class);
  private static final long SAMPLE_MILLIS = 1000;
  private static final String STARVED = "the JVM spent most of its time collecting garbage";
  // Made before it is needed: when the guard trips, even a log line may not fit in the heap.
  private static final String STARVED_LINE =
      "ERROR GcOverheadGuard out of memory in all but name reason=\"" + STARVED + "\"";

  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  private final long[] gcMillis;
  private final long[] wallMillis;
  private final Consumer<String> beforeExit;
  private final int exitCode;
  private final FileOutputStream stderr = new FileOutputStream(FileDescriptor.err);
  private final byte[] starvedLine = (STARVED_LINE + "\n").getBytes(StandardCharsets.UTF_8);
  private final AtomicBoolean tripped = new AtomicBoolean();
  private volatile double ratio;

  private GcOverheadGuard(Duration window, int exitCode, Consumer<String> beforeExit) {
    int samples = (int) Math.max(2, window.toMillis() / SAMPLE_MILLIS + 1);
    this.gcMillis = new long[samples];
    this.wallMillis = new long[samples];
    this.exitCode = exitCode;
    this.beforeExit = beforeExit;
  }

  /**
   * Watches this JVM from now on. On tripping, {@code beforeExit} gets the reason, then the process
   * exits with {@code exitCode}.
   */
  public static GcOverheadGuard install(
      Duration window, int exitCode, Consumer<String> beforeExit) {
    var guard = new GcOverheadGuard(window, exitCode, beforeExit);
    // Loads the classes Runtime.halt needs now: a starved heap cannot load them when it trips.
    Thread probe = new Thread(() -> {});
    Runtime.getRuntime().addShutdownHook(probe);
    Runtime.getRuntime().removeShutdownHook(probe);
    var thread = new Thread(guard, "gc-overhead-guard");
    thread.setDaemon(true);
    thread.start();
    return guard;
  }

  /** Share of the last window spent collecting, 0 to 1. */
  public double ratio() {
    return ratio;
  }

  /** Whether the guard tripped: the process no longer does useful work. */
  public boolean tripped() {
    return tripped.get();
  }

  @Override
  public void run() {
    int taken = 0;
    while (!tripped.get()) {
      try {
        taken = sample(taken);
      } catch (OutOfMemoryError e) {
        // The next sample is taken all the same: a starved heap is what this thread is for.
      }
      if (tripped.get()) {
        Runtime.getRuntime().halt(exitCode);
      }
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Takes one sample; trips if the window is over the limit. The samples taken so far. */
  private int sample(int taken) {
    int slot = taken % gcMillis.length;
    gcMillis[slot] = collectionMillis();
    wallMillis[slot] = System.nanoTime() / 1_000_000;
    taken++;
    // The oldest sample, a window ago once the ring is full.
    int oldest = taken < gcMillis.length ? 0 : taken % gcMillis.length;
    long wall = wallMillis[slot] - wallMillis[oldest];
    if (wall > 0) {
      ratio = Math.min(1.0, (double) (gcMillis[slot] - gcMillis[oldest]) / wall);
      if (taken >= gcMillis.length && ratio > LIMIT) {
        trip(wall);
      }
    }
    return taken;
  }

  /** Writes the line made beforehand, through a stream opened beforehand: no heap needed. */
  private void sayStarved() {
    try {
      stderr.write(starvedLine);
      stderr.flush();
    } catch (IOException e) {
      // Nothing left to say it with; the exit code still says it.
    }
  }

  private long collectionMillis() {
    long sum = 0;
    for (int i = 0; i < collectors.size(); i++) {
      sum += Math.max(0, collectors.get(i).getCollectionTime());
    }
    return sum;
  }

  private void trip(long wallMillis) {
    tripped.set(true);
    try {
      String reason = STARVED;
      try {
        Runtime runtime = Runtime.getRuntime();
        reason =
            String.format(
                "the JVM spent %.0f%% of the last %d s collecting garbage (heap %d of %d MiB in"
                    + " use): its heap is too small for what it holds; give it more memory",
                ratio * 100,
                wallMillis / 1000,
                (runtime.totalMemory() - runtime.freeMemory()) >> 20,
                runtime.maxMemory() >> 20);
        LOG.error("out of memory in all but name reason=\"{}\"", reason);
      } catch (Throwable e) {
        sayStarved();
      }
      beforeExit.accept(reason);
    } finally {
      // Whatever failed above (anything may, out of memory): halted, not exited, since shutdown
      // hooks and the threads that would run them need memory a starved heap does not have.
      Runtime.getRuntime().halt(exitCode);
    }
  }
}
