package dev.cdds.operator.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code kubectl cdds}: the Jobs page in a terminal. The kubectl plugin launcher runs this command
 * with kubectl's arguments; like kubectl it reads the kubeconfig ({@code KUBECONFIG}, {@code
 * --kubeconfig}), its current context ({@code --context}) and namespace ({@code -n}, {@code -A}).
 */
@Command(
    name = "cdds",
    mixinStandardHelpOptions = true,
    subcommands = {
      ListCommand.class,
      CreateCommand.class,
      CloneCommand.class,
      SuspendCommand.class,
      ResumeCommand.class,
      RunCommand.class,
      RerunCommand.class,
      HistoryCommand.class,
      DescribeCommand.class,
      DeleteCommand.class,
      FilesCommand.class,
      DownloadCommand.class,
      PresignCommand.class,
      DecryptCommand.class,
      CompletionCommand.class,
      CompleteCommand.class
    },
    description = "The ExportJobs of the cluster: list, create, clone, suspend, resume, run.")
public final class KubectlCdds {
  @Option(
      names = {"-n", "--namespace"},
      scope = ScopeType.INHERIT,
      description = "Namespace. Default: the context's namespace.")
  String namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      scope = ScopeType.INHERIT,
      description = "Every namespace (list only).")
  boolean allNamespaces;

  @Option(
      names = "--context",
      scope = ScopeType.INHERIT,
      description = "kubeconfig context. Default: the current context.")
  String context;

  @Option(
      names = "--kubeconfig",
      scope = ScopeType.INHERIT,
      description = "kubeconfig file. Default: $KUBECONFIG, else ~/.kube/config.")
  String kubeconfig;

  /** The API server the last client was made for, to name it when it cannot be reached. */
  private static volatile String server;

  /** A client for the chosen kubeconfig and context. */
  KubernetesClient client() {
    if (kubeconfig != null) {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig);
    }
    Config config = Config.autoConfigure(context);
    if (namespace != null) {
      config.setNamespace(namespace);
    }
    // A person waits for the answer: a server that does not answer is said at once, as kubectl
    // does, not retried with backoff for half a minute.
    config.setRequestRetryBackoffLimit(0);
    server = config.getMasterUrl();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The namespace to work in, or empty for all namespaces. */
  Optional<String> namespace(KubernetesClient client) {
    if (allNamespaces) {
      return Optional.empty();
    }
    return Optional.of(client.getNamespace() == null ? "default" : client.getNamespace());
  }

  /**
   * What went wrong in one line: the API server's own message where there is one, the server's
   * address when it could not be reached.
   */
  public static String message(Exception e) {
    if (e instanceof KubernetesClientException k && k.getStatus() != null) {
      String message = k.getStatus().getMessage();
      if (message != null) {
        return message;
      }
    }
    if (e instanceof KubernetesClientException) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof ConnectException
            || cause instanceof UnknownHostException
            || cause instanceof HttpTimeoutException) {
          return "cannot reach the Kubernetes API server"
              + (server == null ? "" : " at " + server)
              + ": "
              + (cause instanceof ConnectException
                  ? "connection refused"
                  : cause instanceof UnknownHostException ? "unknown host" : "no answer in time")
              + " (is the cluster up, and the kubeconfig context the right one?)";
        }
      }
    }
    return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
  }
}
