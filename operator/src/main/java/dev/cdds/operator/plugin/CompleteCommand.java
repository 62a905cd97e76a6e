package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.PrintableText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl cdds __complete -- WORDS… PARTIAL}: what may come next, one candidate a line and
 * then {@code :4}, the protocol kubectl's own completion speaks to a plugin's {@code
 * kubectl_complete-cdds} (kubectl 1.26 and later) and the scripts of {@code completion} use.
 * Commands, their options, and the names of the ExportJobs of the namespace, read from the cluster.
 */
@Command(name = "__complete", hidden = true)
final class CompleteCommand implements Callable<Integer> {
  /** Cobra's ShellCompDirectiveNoFileComp: no file names after these. */
  static final String NO_FILES = ":4";

  @ParentCommand KubectlCdds parent;
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", description = "The words typed so far, the last one partial.")
  List<String> words = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> typed = words.isEmpty() ? List.of("") : words;
    String partial = typed.get(typed.size() - 1);
    List<String> before = globalOptionsTakenFrom(typed.subList(0, typed.size() - 1));
    CommandLine root = spec.parent().commandLine();
    Stream<String> candidates;
    if (before.isEmpty()) {
      candidates =
          root.getSubcommands().entrySet().stream()
              .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
              .map(e -> e.getKey());
    } else {
      CommandLine command = root.getSubcommands().get(before.get(0));
      // `files delete`: a command of a command.
      int named = 1;
      if (command != null
          && before.size() > 1
          && command.getSubcommands().containsKey(before.get(1))) {
        command = command.getSubcommands().get(before.get(1));
        named = 2;
      }
      if (command == null) {
        candidates = Stream.empty();
      } else if (partial.startsWith("-")) {
        candidates =
            command.getCommandSpec().options().stream()
                .filter(o -> !o.hidden())
                .flatMap(o -> Stream.of(o.names()));
      } else if (takesAJobHere(command.getCommandSpec().userObject(), before.size() - named)) {
        candidates = Stream.concat(command.getSubcommands().keySet().stream(), jobNames());
      } else {
        candidates = Stream.empty();
      }
    }
    var out = spec.commandLine().getOut();
    candidates.filter(c -> c.startsWith(partial)).sorted().distinct().forEach(out::println);
    out.println(NO_FILES);
    out.flush();
    return 0;
  }

  /**
   * Whether the command's next positional argument is an ExportJob, given the words after its name
   * (options counted too: a slight overcount only offers fewer names).
   */
  private static boolean takesAJobHere(Object command, int wordsAfterIt) {
    return command instanceof SetSuspendCommand
        || ((command instanceof NamedExportJobCommand
                || command instanceof CloneCommand
                || command instanceof HistoryCommand
                || command instanceof FilesCommand
                || command instanceof FilesDeleteCommand)
            && wordsAfterIt == 0);
  }

  /** The words without the options every command inherits, which are applied to the client. */
  private List<String> globalOptionsTakenFrom(List<String> typed) {
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < typed.size(); i++) {
      String word = typed.get(i);
      String value = i + 1 < typed.size() ? typed.get(i + 1) : null;
      switch (word) {
        case "-n", "--namespace" -> {
          parent.namespace = value;
          i++;
        }
        case "--context" -> {
          parent.context = value;
          i++;
        }
        case "--kubeconfig" -> {
          parent.kubeconfig = value;
          i++;
        }
        default -> {
          if (word.startsWith("--namespace=")) {
            parent.namespace = word.substring("--namespace=".length());
          } else if (word.startsWith("--context=")) {
            parent.context = word.substring("--context=".length());
          } else if (word.startsWith("--kubeconfig=")) {
            parent.kubeconfig = word.substring("--kubeconfig=".length());
          } else {
            rest.add(word);
          }
        }
      }
    }
    return rest;
  }

  /** The ExportJobs of the namespace; none when the cluster cannot be asked (never an error). */
  private Stream<String> jobNames() {
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      return client.resources(ExportJob.class).inNamespace(namespace).list().getItems().stream()
          .map(j -> PrintableText.line(j.getMetadata().getName()))
          .toList()
          .stream();
    } catch (RuntimeException e) {
      return Stream.empty();
    }
  }
}
