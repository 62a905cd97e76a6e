package dev.cdds.operator.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real kubectl, pointed at the test control plane, as a user would run it. */
public final class Kubectl {
  private final ControlPlane controlPlane;

  public Kubectl(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  public CommandResult run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(controlPlane.binary("kubectl").toString());
    command.add("--kubeconfig=" + controlPlane.kubeconfig());
    command.addAll(List.of(args));
    return CommandResult.run(command, Map.of());
  }
}
