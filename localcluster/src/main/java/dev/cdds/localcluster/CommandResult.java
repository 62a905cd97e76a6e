package dev.cdds.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What a command-line tool printed and how it exited. */
public record CommandResult(int exitCode, String stdout, String stderr) {

  /** Runs {@code command} with {@code env} added to this JVM's environment, and waits. */
  public static CommandResult run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    Process process = builder.start();
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
    return new CommandResult(exit, stdout, stderr.join());
  }
}
