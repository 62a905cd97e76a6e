package dev.cdds.operator.plugin;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl cdds ui}: the Jobs, History and Artifacts pages in a browser, served on 127.0.0.1
 * by this process with the person's own kubeconfig — no server in the cluster, no new credentials.
 */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description =
        "Serves the Jobs, History and Artifacts pages on 127.0.0.1 with your own kubeconfig until"
            + " interrupted; the first line printed is the URL, with its access token.")
final class UiCommand implements Callable<Integer> {
  @ParentCommand KubectlCdds parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "0", description = "Port. Default: a free one.")
  int port;

  @Option(names = "--no-open", description = "Do not open a browser.")
  boolean noOpen;

  @Override
  public Integer call() throws IOException, InterruptedException {
    var client = parent.client();
    var dashboard = Dashboard.start(client, parent.namespace(client), port);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  dashboard.close();
                  client.close();
                }));
    var out = spec.commandLine().getOut();
    out.println(dashboard.url());
    out.println(
        "Serving the ExportJobs until Ctrl-C; the URL holds the access token: keep it to"
            + " yourself.");
    out.flush();
    if (!noOpen && desktop()) {
      try {
        new ProcessBuilder("xdg-open", dashboard.url()).redirectErrorStream(true).start();
      } catch (IOException e) {
        // No opener: the URL printed is the way in.
      }
    }
    new CountDownLatch(1).await();
    return 0;
  }

  private static boolean desktop() {
    return System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
  }
}
