package dev.cdds.operator.schedule;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** A duration as the spec writes it, Go style in hours, minutes and seconds ({@code 1h30m}). */
public final class SpecDuration {
  private SpecDuration() {}

  /**
   * @throws IllegalArgumentException naming {@code field} when the text is not such a duration
   */
  public static Duration parse(String text, String field) {
    if (text == null || !text.matches("([0-9]+h)?([0-9]+m)?([0-9]+s)?") || text.isEmpty()) {
      throw new IllegalArgumentException(
          field + " must be a duration such as 15m, 1h30m or 90s, not \"" + text + "\"");
    }
    try {
      return Duration.parse("PT" + text.toUpperCase());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  /** The duration as the spec would write it: {@code 15s}, {@code 10m}, {@code 1h30m}. */
  public static String format(Duration duration) {
    return duration.toString().substring(2).toLowerCase();
  }
}
