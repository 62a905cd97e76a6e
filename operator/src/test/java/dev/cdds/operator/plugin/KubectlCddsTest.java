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

  @Test
  void filesDeleteIsASubcommandOfFilesAndAJobIsStillListedByName() {
    String[] delete = {"files", "delete", "reports", "--run", "reports-1", "-n", "team", "--yes"};
    var parsed = KubectlCdds.commandLine(delete).parseArgs(delete);
    var deleteCommand =
        (FilesDeleteCommand) parsed.subcommand().subcommand().commandSpec().userObject();

    assertThat(deleteCommand.name).isEqualTo("reports");
    assertThat(deleteCommand.runs).containsExactly("reports-1");
    assertThat(deleteCommand.yes).isTrue();
    assertThat(deleteCommand.files.parent.namespace).isEqualTo("team");

    String[] list = {"files", "reports", "--run", "reports-1"};
    var listed = KubectlCdds.commandLine(list).parseArgs(list).subcommand();
    assertThat(((FilesCommand) listed.commandSpec().userObject()).name).isEqualTo("reports");
    assertThat(listed.subcommand()).isNull();
  }
}
