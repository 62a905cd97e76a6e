package dev.cdds.localcluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real kubectl, pointed at the test control plane, as a user would run it. */
public final class Kubectl {
  private final ControlPlane controlPlane;
  private final Map<String, String> env;

  public Kubectl(ControlPlane controlPlane) {
    this(controlPlane, Map.of());
  }

  private Kubectl(ControlPlane controlPlane, Map<String, String> env) {
    this.controlPlane = controlPlane;
    this.env = env;
  }

  /**
   * kubectl with {@code dir} first on PATH, where it finds plugins ({@code kubectl-<name>}), and
   * the kubeconfig in {@code KUBECONFIG}: kubectl refuses flags before a plugin's name.
   */
  public Kubectl withPluginsFrom(Path dir) {
    return new Kubectl(
        controlPlane,
        Map.of(
            "PATH",
            dir + ":" + System.getenv("PATH"),
            "KUBECONFIG",
            controlPlane.kubeconfig().toString()));
  }

  /** This kubectl with these environment variables too (for its plugins). */
  public Kubectl withEnvironment(Map<String, String> more) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(more);
    return new Kubectl(controlPlane, Map.copyOf(merged));
  }

  public CommandResult run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(controlPlane.binary("kubectl").toString());
    if (!env.containsKey("KUBECONFIG")) {
      command.add("--kubeconfig=" + controlPlane.kubeconfig());
    }
    command.addAll(List.of(args));
    return CommandResult.run(command, env);
  }
}
