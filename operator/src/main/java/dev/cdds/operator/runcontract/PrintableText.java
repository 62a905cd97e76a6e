package dev.cdds.operator.runcontract;

/**
 * Text from a spec, a status, an Event or storage as a terminal may show it. Anyone who can write a
 * title or plant a manifest could otherwise move the cursor, clear the screen or retitle the window
 * of whoever lists it; control characters and the invisible marks that reorder text (bidirectional
 * overrides) are shown as {@code \}{@code u001b} instead.
 */
public final class PrintableText {
  private PrintableText() {}

  /** One line: every control character escaped, line breaks too. */
  public static String line(String text) {
    return escaped(text, false);
  }

  /** Lines of text, as a description may have: line breaks kept, other controls escaped. */
  public static String lines(String text) {
    return escaped(text, true);
  }

  private static String escaped(String text, boolean keepLineBreaks) {
    if (text == null) {
      return null;
    }
    var out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (keepLineBreaks && c == '\n' || !hidden(c)) {
                out.appendCodePoint(c);
              } else {
                out.append(String.format("\\u%04x", c));
              }
            });
    return out.toString();
  }

  private static boolean hidden(int c) {
    return Character.isISOControl(c)
        || !Character.isDefined(c)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f;
  }
}
