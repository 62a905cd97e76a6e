package dev.cdds.operator.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) of the forms
 * the operator generates: a number, {@code *} or {@code *}{@code /N} per field. {@link #next}
 * follows the Kubernetes CronJob controller (robfig/cron v3) step by step, so the next run we show
 * is the one the controller will start, daylight-saving changes included.
 */
public final class CronExpression {
  private static final long STAR = 1L << 63;

  private final String text;
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  private final long daysOfWeek;

  private CronExpression(String text, long[] fields) {
    this.text = text;
    this.minutes = fields[0];
    this.hours = fields[1];
    this.daysOfMonth = fields[2];
    this.months = fields[3];
    this.daysOfWeek = fields[4];
  }

  public static CronExpression parse(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException("expected 5 cron fields: " + text);
    }
    int[][] bounds = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
    long[] fields = new long[5];
    for (int i = 0; i < 5; i++) {
      fields[i] = field(parts[i], bounds[i][0], bounds[i][1]);
    }
    return new CronExpression(text, fields);
  }

  private static long field(String part, int min, int max) {
    if (part.equals("*")) {
      return range(min, max, 1) | STAR;
    }
    if (part.startsWith("*/")) {
      return range(min, max, Integer.parseInt(part.substring(2)));
    }
    int value = Integer.parseInt(part);
    if (value < min || value > max) {
      throw new IllegalArgumentException(part + " is out of range " + min + "-" + max);
    }
    return 1L << value;
  }

  private static long range(int min, int max, int step) {
    long bits = 0;
    for (int v = min; v <= max; v += step) {
      bits |= 1L << v;
    }
    return bits;
  }

  /** The first activation strictly after {@code after}, or empty if none within five years. */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    boolean added = false;
    int yearLimit = t.getYear() + 5;
    wrap:
    while (true) {
      if (t.getYear() > yearLimit) {
        return Optional.empty();
      }
      while ((1L << t.getMonthValue() & months) == 0) {
        if (!added) {
          added = true;
          t = ZonedDateTime.of(t.getYear(), t.getMonthValue(), 1, 0, 0, 0, 0, zone);
        }
        t = t.plusMonths(1);
        if (t.getMonthValue() == 1) {
          continue wrap;
        }
      }
      while (!dayMatches(t)) {
        if (!added) {
          added = true;
          t = t.toLocalDate().atStartOfDay(zone);
        }
        t = t.plusDays(1);
        // Where midnight does not exist, the day starts at another hour: come back to it.
        if (t.getHour() != 0) {
          t = t.getHour() > 12 ? t.plusHours(24 - t.getHour()) : t.minusHours(t.getHour());
        }
        if (t.getDayOfMonth() == 1) {
          continue wrap;
        }
      }
      while ((1L << t.getHour() & hours) == 0) {
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.HOURS);
        }
        t = t.plusHours(1);
        if (t.getHour() == 0) {
          continue wrap;
        }
      }
      while ((1L << t.getMinute() & minutes) == 0) {
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.MINUTES);
        }
        t = t.plusMinutes(1);
        if (t.getMinute() == 0) {
          continue wrap;
        }
      }
      // Cron has no seconds field: only second 0 matches.
      if (t.getSecond() != 0) {
        if (!added) {
          added = true;
        }
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        continue wrap;
      }
      return Optional.of(t.toInstant());
    }
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean domMatch = (1L << t.getDayOfMonth() & daysOfMonth) != 0;
    boolean dowMatch = (1L << (t.getDayOfWeek().getValue() % 7) & daysOfWeek) != 0;
    if ((daysOfMonth & STAR) != 0 || (daysOfWeek & STAR) != 0) {
      return domMatch && dowMatch;
    }
    return domMatch || dowMatch;
  }

  /** Cron's day-of-week number: Sunday is 0. */
  static int cronDay(DayOfWeek day) {
    return day.getValue() % 7;
  }

  @Override
  public String toString() {
    return text;
  }
}
