package dev.cdds.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command line the launcher runs is built for the command asked, and for help in full. */
class KubectlCddsTest {
  @Test
  void buildsOnlyTheSubcommandNamedAfterTheGlobalOptionsAndTheirValues() {
    assertThat(KubectlCdds.commandLine("-n", "history", "list").getSubcommands().keySet())
        .containsExactlyInAnyOrder("list", "ls");
    assertThat(
            KubectlCdds.commandLine("--context", "x", "--kubeconfig", "k", "history", "job")
                .getSubcommands()
                .keySet())
        .containsExactly("history");
    assertThat(KubectlCdds.commandLine("-A", "ls").getSubcommands()).containsKey("list");
  }

  @Test
  void helpAnUnknownWordAndCompletionGetEverySubcommand() {
    int all = KubectlCdds.commandLine().getSubcommands().size();

    assertThat(all).isGreaterThanOrEqualTo(KubectlCdds.SUBCOMMANDS.size());
    assertThat(KubectlCdds.commandLine("--help").getSubcommands()).hasSize(all);
    assertThat(KubectlCdds.commandLine("lis").getSubcommands()).hasSize(all);
    assertThat(KubectlCdds.commandLine("__complete", "--", "").getSubcommands()).hasSize(all);
  }
}
