package dev.cdds.operator.plugin;

/**
 * What the {@code kubectl-cdds} launcher runs: the plugin's commands alone, so that a short command
 * such as {@code list} loads none of the operator's, the exporter's or the storage's classes.
 */
public final class PluginMain {
  private PluginMain() {}

  public static void main(String[] args) throws InterruptedException {
    int code = CommandLines.withOneLineErrors(KubectlCdds.commandLine(args)).execute(args);
    stopHttpSelectorThreads();
    System.exit(code);
  }

  /**
   * Ends the selector threads of the JDK's HTTP client, which Java 17 cannot close: an exiting JVM
   * waits 300 ms for threads blocked in native code (such as theirs, in epoll), which was a third
   * of a {@code kubectl cdds list} (docs/benchmarks.md). Interrupted, such a thread ends at once.
   */
  private static void stopHttpSelectorThreads() throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("HttpClient-")
          && thread.getName().endsWith("-SelectorManager")) {
        thread.interrupt();
        thread.join(100);
      }
    }
  }
}
