package dev.cdds.operator.plugin;

import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Weekday;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The "Add new job" form on a terminal: {@code kubectl cdds create} asks for what its flags left
 * out, with the choices and the default shown; a choice not offered is asked again. The API server
 * still validates the whole job, so its messages are the last word.
 */
final class AddJobForm {
  private static final String DATE_TIME = "\\d{4}-\\d\\d-\\d\\dT.+";

  private final Console console;
  private final BufferedReader in;

  private AddJobForm(Console console) {
    this.console = console;
    this.in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
  }

  static void askForWhatIsMissing(CreateCommand c, Console console) throws IOException {
    if (console == null) {
      return;
    }
    new AddJobForm(console).fill(c);
  }

  private void fill(CreateCommand c) throws IOException {
    if (c.title == null) {
      c.title = ask("Title", "", s -> !s.isEmpty(), "a title is required");
    }
    if (c.type == null) {
      c.type = choose("Type", SourceType.values(), SourceType.Interaction);
    }
    if (c.type == SourceType.Event) {
      c.system = "IWD";
    }
    if (c.run == null) {
      c.run = choose("Run", RunMode.values(), RunMode.Once);
    }
    schedule(c);
    if (c.startAt == null && !c.startNow) {
      String answer =
          ask(
              "Start (now, or a date-time such as 2026-12-01T02:00:00Z)",
              "now",
              s -> s.equals("now") || s.matches(DATE_TIME),
              "now or an RFC 3339 date-time");
      if (answer.equals("now")) {
        c.startNow = c.run != RunMode.Once;
      } else {
        c.startAt = answer;
      }
    }
    if (c.run != RunMode.Once && c.endAt == null) {
      c.endAt = orNone("End (never, or a date-time)", "never", DATE_TIME, "an RFC 3339 date-time");
    }
    if (c.format == null) {
      c.format = ask("Format (jsonl, csv)", "jsonl", s -> s.matches("jsonl|csv"), "jsonl or csv");
    }
    if (c.fileSplitSize == null) {
      c.fileSplitSize =
          orNone(
              "Split files at (a size such as 256Mi, or none)",
              "none",
              "[0-9]+(Ki|Mi|Gi|Ti)?",
              "a size such as 256Mi or 1Gi");
    }
    if (c.pvc == null) {
      c.pvc =
          orNone(
              "Destination PersistentVolumeClaim (empty: the operator's default destination)",
              "",
              "[a-z0-9]([-a-z0-9.]*[a-z0-9])?",
              "a claim name such as exports");
    }
  }

  /** When a recurring job runs, in the words of its run mode. */
  private void schedule(CreateCommand c) throws IOException {
    switch (c.run) {
      case Hourly -> {
        if (c.everyHours == null) {
          c.everyHours =
              Integer.parseInt(
                  ask(
                      "Every how many hours (1, 2, 3, 4, 6, 8, 12)",
                      "1",
                      s -> s.matches("1|2|3|4|6|8|12"),
                      "one of 1, 2, 3, 4, 6, 8, 12"));
        }
        if (c.minute == null) {
          c.minute = Integer.parseInt(ask("At minute (0-59)", "0", between(0, 59), "0 to 59"));
        }
      }
      case Daily -> c.time = time(c.time);
      case Weekly -> {
        if (c.dayOfWeek == null) {
          c.dayOfWeek = choose("Day", Weekday.values(), Weekday.Monday);
        }
        c.time = time(c.time);
      }
      case Monthly -> {
        if (c.dayOfMonth == null) {
          c.dayOfMonth =
              Integer.parseInt(
                  ask(
                      "Day of the month (1-31; a month without it has no run)",
                      "1",
                      between(1, 31),
                      "1 to 31"));
        }
        c.time = time(c.time);
      }
      case Once -> {
        return;
      }
    }
    if (c.timeZone == null) {
      c.timeZone =
          ask(
              "Time zone (IANA, such as Europe/Paris)",
              "UTC",
              s -> s.matches("[A-Za-z_+\\-0-9/]+"),
              "an IANA time zone name such as Europe/Paris or UTC");
    }
  }

  private String time(String given) throws IOException {
    return given != null
        ? given
        : ask("At time (HH:MM)", "00:00", s -> s.matches("([01][0-9]|2[0-3]):[0-5][0-9]"), "HH:MM");
  }

  private static Predicate<String> between(int low, int high) {
    return s ->
        s.matches("[0-9]{1,2}") && Integer.parseInt(s) >= low && Integer.parseInt(s) <= high;
  }

  private <E extends Enum<E>> E choose(String label, E[] choices, E fallback) throws IOException {
    List<String> names = Arrays.stream(choices).map(Enum::name).toList();
    Function<String, E> parse =
        s ->
            Arrays.stream(choices)
                .filter(e -> e.name().equalsIgnoreCase(s))
                .findFirst()
                .orElse(null);
    String answer =
        ask(
            label + " (" + String.join(", ", names) + ")",
            fallback.name(),
            s -> parse.apply(s) != null,
            "one of " + String.join(", ", names));
    return parse.apply(answer);
  }

  /**
   * An answer matching {@code pattern}, or null for {@code none} (also the default: an empty
   * answer).
   */
  private String orNone(String prompt, String none, String pattern, String expected)
      throws IOException {
    String answer =
        ask(
            prompt,
            none,
            s -> s.equals(none) || s.matches(pattern),
            (none.isEmpty() ? "" : none + " or ") + expected);
    return answer.equals(none) ? null : answer;
  }

  /** The answer, or the default for an empty one; asked again until {@code valid}. */
  private String ask(String prompt, String fallback, Predicate<String> valid, String expected)
      throws IOException {
    while (true) {
      console.writer().print(prompt + (fallback.isEmpty() ? "" : " [" + fallback + "]") + ": ");
      console.writer().flush();
      String line = in.readLine();
      if (line == null) {
        throw new IllegalArgumentException("no answer to \"" + prompt + "\"");
      }
      String answer = line.trim().isEmpty() ? fallback : line.trim();
      if (valid.test(answer.toLowerCase(Locale.ROOT)) || valid.test(answer)) {
        return answer;
      }
      console.writer().println("  expected " + expected);
    }
  }
}
