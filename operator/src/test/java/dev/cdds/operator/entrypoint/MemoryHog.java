package dev.cdds.operator.entrypoint;

import dev.cdds.operator.runcontract.GcOverheadGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that holds nearly all of its heap and keeps allocating, guarded as the operator is
 * (with a window of {@code args[0]} seconds instead of a minute): what an operator with too many
 * ExportJobs for its heap does, without the cluster.
 */
public final class MemoryHog {
  private MemoryHog() {}

  public static void main(String[] args) {
    GcOverheadGuard.install(
        Duration.ofSeconds(Long.parseLong(args[0])), OperatorCommand.STARVED, reason -> {});
    List<byte[]> held = new ArrayList<>();
    // "all": nearly the whole heap, as too many ExportJobs; "some": 32 MiB, a process that works.
    long max = args[1].equals("all") ? Runtime.getRuntime().maxMemory() * 90 / 100 : 32L << 20;
    boolean working = args[1].equals("some");
    long sink = 0;
    for (long round = 0; ; round++) {
      if (working && round % 1000 == 0) {
        pause();
      }
      try {
        if ((long) held.size() * 1024 < max) {
          held.add(new byte[1024]);
        }
        byte[] garbage = new byte[4096];
        sink += garbage.length;
      } catch (OutOfMemoryError e) {
        // As G1 mostly does: no error reaches anyone, the process just stays busy collecting.
        for (int i = 0; i < 64 && !held.isEmpty(); i++) {
          held.remove(held.size() - 1);
        }
      }
      if (sink == Long.MIN_VALUE) {
        System.out.println(sink);
      }
    }
  }

  /** A working process's pace: not the whole CPU. */
  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
