package dev.cdds.localcluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real helm, pointed at a control plane by its kubeconfig, its caches in {@code home}. */
public final class Helm {
  private final Path binary;
  private final Map<String, String> env;

  public Helm(Path binary, Path kubeconfig, Path home) {
    this.binary = binary;
    this.env =
        Map.of(
            "KUBECONFIG", kubeconfig.toString(),
            "HELM_CACHE_HOME", home.resolve("cache").toString(),
            "HELM_CONFIG_HOME", home.resolve("config").toString(),
            "HELM_DATA_HOME", home.resolve("data").toString());
  }

  public CommandResult run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    return CommandResult.run(command, env);
  }
}
