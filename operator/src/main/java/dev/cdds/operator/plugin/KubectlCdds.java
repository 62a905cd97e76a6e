package dev.cdds.operator.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
      HistoryCommand.class,
      DescribeCommand.class,
      DeleteCommand.class,
      FilesCommand.class,
      DownloadCommand.class,
      DecryptCommand.class
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

  /** A client for the chosen kubeconfig and context. */
  KubernetesClient client() {
    if (kubeconfig != null) {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig);
    }
    Config config = Config.autoConfigure(context);
    if (namespace != null) {
      config.setNamespace(namespace);
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The namespace to work in, or empty for all namespaces. */
  Optional<String> namespace(KubernetesClient client) {
    if (allNamespaces) {
      return Optional.empty();
    }
    return Optional.of(client.getNamespace() == null ? "default" : client.getNamespace());
  }

  /** What went wrong in one line: the API server's own message where there is one. */
  public static String message(Exception e) {
    if (e instanceof KubernetesClientException k && k.getStatus() != null) {
      String message = k.getStatus().getMessage();
      if (message != null) {
        return message;
      }
    }
    return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
  }
}
