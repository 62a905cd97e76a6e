package dev.cdds.operator.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real helm, pointed at the test control plane, with its caches in the test's work dir. */
public final class Helm {
  private final ControlPlane controlPlane;
  private final Map<String, String> env;

  public Helm(ControlPlane controlPlane, Path work) {
    this.controlPlane = controlPlane;
    Path home = work.resolve("helm");
    this.env =
        Map.of(
            "KUBECONFIG", controlPlane.kubeconfig().toString(),
            "HELM_CACHE_HOME", home.resolve("cache").toString(),
            "HELM_CONFIG_HOME", home.resolve("config").toString(),
            "HELM_DATA_HOME", home.resolve("data").toString());
  }

  public CommandResult run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(controlPlane.binary("helm").toString());
    command.addAll(List.of(args));
    return CommandResult.run(command, env);
  }
}
