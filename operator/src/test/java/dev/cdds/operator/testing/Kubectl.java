package dev.cdds.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The real kubectl, pointed at the test control plane, as a user would run it. */
public final class Kubectl {
  private final ControlPlane controlPlane;

  public Kubectl(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  public Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(controlPlane.binary("kubectl").toString());
    command.add("--kubeconfig=" + controlPlane.kubeconfig());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    var stderr =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return e.toString();
              }
            });
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    return new Result(exit, stdout, stderr.join());
  }

  /** What kubectl printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {}
}
