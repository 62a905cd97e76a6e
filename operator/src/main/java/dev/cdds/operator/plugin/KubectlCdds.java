package dev.cdds.operator.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
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
    description = "The ExportJobs of the cluster: list, create, clone, suspend, resume, run.")
public final class KubectlCdds {
  /** The subcommands, in the order the help lists them. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
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
          UiCommand.class,
          CompletionCommand.class,
          CompleteCommand.class);

  /** The global options that take a value as the next word. */
  private static final Set<String> OPTIONS_WITH_VALUES =
      Set.of("-n", "--namespace", "--context", "--kubeconfig");

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

  /**
   * The command line for these arguments, with only the subcommand they name: picocli reads every
   * option of every subcommand it is given, which was a fifth of the start-up of {@code list}
   * (docs/benchmarks.md). Help, a word that names no subcommand and completion (which lists them)
   * get all of them.
   */
  public static CommandLine commandLine(String... args) {
    var line = new CommandLine(new KubectlCdds());
    Optional<Class<?>> named = firstWord(args).flatMap(KubectlCdds::subcommandNamed);
    if (named.isPresent() && named.get() != CompleteCommand.class) {
      line.addSubcommand(named.get());
    } else {
      SUBCOMMANDS.forEach(line::addSubcommand);
    }
    return line;
  }

  private static Optional<String> firstWord(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (OPTIONS_WITH_VALUES.contains(args[i])) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return Optional.of(args[i]);
      }
    }
    return Optional.empty();
  }

  private static Optional<Class<?>> subcommandNamed(String word) {
    return SUBCOMMANDS.stream()
        .filter(
            c -> {
              Command command = c.getAnnotation(Command.class);
              return command.name().equals(word) || List.of(command.aliases()).contains(word);
            })
        .findFirst();
  }

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
