package dev.cdds.operator.plugin;

import dev.cdds.operator.entrypoint.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code kubectl cdds} in this JVM as the launcher would, against a kubeconfig and in a
 * namespace unless the command names one, capturing its output.
 */
public record InProcessPlugin(Path kubeconfig, String namespace) {
  public record Result(int exit, String out, String err) {}

  /** The command line the launcher would pass for {@code kubectl cdds <command>}. */
  String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of("cdds"));
    all.addAll(List.of(command));
    all.add("--kubeconfig=" + kubeconfig);
    if (!all.contains("-n")) {
      all.add("--namespace=" + namespace);
    }
    return all.toArray(String[]::new);
  }

  public Result run(String... command) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit =
        Main.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args(command));
    return new Result(exit, out.toString(), err.toString());
  }
}
