package dev.cdds.operator.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A JVM whose heap is too small for what it holds does not stay alive collecting garbage: it says
 * why and exits, so that the kubelet restarts it (G1 alone would keep it busy for hours).
 */
// Alone: a starved JVM's collector takes the machine's CPU, which would stretch others' timings.
@Isolated
class StarvedProcessIT {
  @Test
  void aProcessStarvedOfHeapSaysWhyAndExitsInsteadOfCrawling(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("hog.log");
    Process hog = hog(log, "-Xmx64m", "all");
    try {
      assertThat(hog.waitFor(90, TimeUnit.SECONDS)).as(() -> "exited: " + read(log)).isTrue();
      assertThat(hog.exitValue()).as(Files.readString(log)).isEqualTo(OperatorCommand.STARVED);
      assertThat(Files.readString(log))
          .contains("out of memory in all but name reason=\"the JVM spent ")
          .contains("collecting garbage");
    } finally {
      hog.destroyForcibly();
    }
  }

  @Test
  void aProcessThatWorksIsLeftAlone(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("busy.log");
    Process busy = hog(log, "-Xmx256m", "some");
    try {
      assertThat(busy.waitFor(12, TimeUnit.SECONDS)).as("still running").isFalse();
      assertThat(Files.readString(log)).doesNotContain("out of memory");
    } finally {
      busy.destroyForcibly();
    }
  }

  /** A {@link MemoryHog} guarded over 5 s, holding {@code held} of the heap given. */
  private static Process hog(Path log, String heap, String held) throws java.io.IOException {
    return new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap,
                "-XX:+UseG1GC",
                // One core at most for the collector, of this 2-core machine.
                "-XX:ParallelGCThreads=1",
                "-XX:ConcGCThreads=1",
                "-cp",
                System.getProperty("java.class.path"),
                MemoryHog.class.getName(),
                "5",
                held))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
