package dev.cdds.localcluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a user runs it outside a cluster: the built jar in a process of its own, with the
 * kubeconfig it is given and its output in a log file.
 */
public final class OperatorProcess implements AutoCloseable {
  private final Process process;

  private OperatorProcess(Process process) {
    this.process = process;
  }

  /**
   * @param jvmOptions such as a heap limit
   * @param operatorOptions the {@code operator} command's flags
   */
  public static OperatorProcess start(
      Path jar, List<String> jvmOptions, List<String> operatorOptions, Path kubeconfig, Path log)
      throws IOException {
    return start(jar, jvmOptions, operatorOptions, kubeconfig, log, Map.of());
  }

  /** The same with more environment, such as the {@code POD_NAME} that names it in the Lease. */
  public static OperatorProcess start(
      Path jar,
      List<String> jvmOptions,
      List<String> operatorOptions,
      Path kubeconfig,
      Path log,
      Map<String, String> environment)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "operator"));
    command.addAll(operatorOptions);
    var launch = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    launch.environment().put("KUBECONFIG", kubeconfig.toString());
    launch.environment().remove("JAVA_TOOL_OPTIONS");
    launch.environment().putAll(environment);
    return new OperatorProcess(launch.start());
  }

  public long pid() {
    return process.pid();
  }

  /** Sends a signal (STOP, CONT…) to the process, as {@code kill -SIGNAL} does. */
  public void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + pid() + " failed");
    }
  }

  /** Whether it exited within {@code timeout}. */
  public boolean waitForExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** SIGKILL, as a node failure or the OOM killer ends it: no graceful shutdown. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public String toString() {
    return "operator (pid " + process.pid() + ")";
  }
}
