package dev.cdds.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void onATerminalTheOnlyEscapesAreTheColoursOfTheStateColumn() {
    var table = new Table(List.of("NAME", "STATUS")).colouredBy("STATUS", new Terminal(true));
    table.add(List.of("a\u001b[2J\u001b]8;;http://evil\u0007", "Failed"));
    table.add(List.of("b", "Succeeded (expired)\u001b[1A"));

    String rendered = table.render();

    assertThat(rendered)
        .isEqualTo(
            "NAME"
                + " ".repeat(36)
                + "STATUS\n"
                + "a\\u001b[2J\\u001b]8;;http://evil\\u0007   \u001b[31mFailed\u001b[0m\n"
                + "b"
                + " ".repeat(39)
                + "\u001b[32mSucceeded (expired)\\u001b[1A\u001b[0m\n");
  }
}
