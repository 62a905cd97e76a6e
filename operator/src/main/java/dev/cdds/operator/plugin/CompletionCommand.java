package dev.cdds.operator.plugin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl cdds completion bash|zsh}: a script that completes {@code kubectl-cdds} typed
 * directly. {@code kubectl cdds} typed through kubectl is completed by kubectl itself (1.26 and
 * later) when {@code kubectl_complete-cdds}, installed beside the plugin, is on PATH; both ask
 * {@code __complete}.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description =
        "Prints a shell completion script: source <(kubectl-cdds completion bash). For `kubectl"
            + " cdds <TAB>`, put kubectl_complete-cdds (installed beside kubectl-cdds) on PATH.")
final class CompletionCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "bash or zsh.")
  String shell;

  private static final String BASH =
      """
      # kubectl-cdds completion: commands, options, and ExportJob names read from the cluster.
      # For `kubectl cdds <TAB>`, kubectl (1.26+) asks kubectl_complete-cdds: keep it on PATH.
      _kubectl_cdds() {
        local IFS=$'\\n' out
        out=$(kubectl-cdds __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
        COMPREPLY=($(printf '%s\\n' "$out" | grep -v '^:'))
      }
      complete -o nosort -F _kubectl_cdds kubectl-cdds 2>/dev/null \\
        || complete -F _kubectl_cdds kubectl-cdds
      """;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    switch (shell) {
      case "bash" -> out.print(BASH);
      case "zsh" -> out.print("autoload -U +X bashcompinit && bashcompinit\n" + BASH);
      default -> throw new IllegalArgumentException("completion: bash or zsh, not " + shell);
    }
    out.flush();
    return 0;
  }
}
