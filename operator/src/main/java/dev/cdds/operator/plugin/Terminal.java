package dev.cdds.operator.plugin;

import dev.cdds.operator.runcontract.PrintableText;
import java.util.Map;

/**
 * What the output may contain: colours and in-place redraws only on a terminal, and never with
 * {@code NO_COLOR} set (https://no-color.org) or {@code TERM=dumb}; piped output is plain text.
 */
record Terminal(boolean ansi) {
  static Terminal detect(Map<String, String> env) {
    boolean tty = System.console() != null;
    boolean allowed = env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
    return new Terminal(tty && allowed);
  }

  String bold(String text) {
    return ansi ? "\u001b[1m" + PrintableText.line(text) + "\u001b[0m" : PrintableText.line(text);
  }

  String color(String state, String text) {
    if (!ansi) {
      return PrintableText.line(text);
    }
    String code =
        switch (state) {
          case "Running" -> "36";
          case "Failed" -> "31";
          case "Completed", "Succeeded" -> "32";
          case "Suspended", "Missed" -> "33";
          default -> "0";
        };
    return "\u001b[" + code + "m" + PrintableText.line(text) + "\u001b[0m";
  }

  /** Starts a new frame: the screen is cleared on a terminal, frames are separated otherwise. */
  String newFrame(boolean first) {
    if (ansi) {
      return "\u001b[H\u001b[2J";
    }
    return first ? "" : "\n";
  }
}
