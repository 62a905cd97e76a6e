package dev.cdds.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A command in a real terminal, as a person runs it: a tmux pane (on a server of its own) that the
 * test reads as the screen shows it and types into, Ctrl-C included.
 */
public final class TerminalSession implements AutoCloseable {
  private final String socket;

  private TerminalSession(String socket) {
    this.socket = socket;
  }

  /** Starts {@code command} (a shell command line) with {@code env} added; the pane stays. */
  public static TerminalSession start(String command, Map<String, String> env) throws Exception {
    var session =
        new TerminalSession("cdds-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    List<String> args =
        new ArrayList<>(List.of("new-session", "-d", "-s", "t", "-x", "180", "-y", "45"));
    env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
    args.addAll(List.of(command, ";", "set-option", "-t", "t", "remain-on-exit", "on"));
    session.tmux(args.toArray(String[]::new));
    return session;
  }

  public String screen() throws Exception {
    return tmux("capture-pane", "-p", "-t", "t");
  }

  /** Waits until the screen shows what {@code shown} looks for; the screen then. */
  public String awaitScreen(String what, Duration atMost, Predicate<String> shown) {
    String[] last = {""};
    Awaitility.await(what)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = screen();
              return shown.test(last[0]);
            });
    return last[0];
  }

  /** Types {@code text} and Enter. */
  public void typeLine(String text) throws Exception {
    if (!text.isEmpty()) {
      tmux("send-keys", "-t", "t", "-l", text);
    }
    tmux("send-keys", "-t", "t", "Enter");
  }

  /** Ctrl-C: the terminal sends SIGINT to its whole foreground process group. */
  public void pressCtrlC() throws Exception {
    tmux("send-keys", "-t", "t", "C-c");
  }

  public void awaitExit(Duration atMost) {
    Awaitility.await("the command in the terminal ended")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> tmux("list-panes", "-t", "t", "-F", "#{pane_dead}").trim(), "1"::equals);
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("tmux", "-L", socket, "kill-server").start().waitFor();
  }

  private String tmux(String... args) throws Exception {
    var command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }
}
