package dev.cdds.operator.plugin;

import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Timeframe;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** An ExportJob in words, as the Jobs page would say it. */
final class Describe {
  private Describe() {}

  /** "every 4 hours at :15 UTC, exporting the previous window". */
  static String schedule(ExportJob job) {
    var spec = job.getSpec();
    // A one-time job has no previous run: without a timeframe it exports everything.
    boolean everything = spec.schedule.run == RunMode.Once && spec.timeframe == null;
    return when(spec.schedule)
        + ", "
        + (everything ? "exporting everything" : what(spec.timeframe));
  }

  static String when(Schedule s) {
    if (s.run == RunMode.Once) {
      return cadence(s);
    }
    return cadence(s)
        + (Boolean.TRUE.equals(s.startImmediately) ? ", starting at once" : "")
        + (s.startAt == null ? "" : ", starting " + minute(s.startAt))
        + (s.endAt == null ? "" : ", until " + minute(s.endAt));
  }

  private static String cadence(Schedule s) {
    String zone = s.timeZone == null ? "UTC" : s.timeZone;
    return switch (s.run) {
      case Once -> s.startAt == null ? "once, as soon as it is created" : "once, at " + s.startAt;
      case Hourly ->
          (s.everyHours == null || s.everyHours == 1
                  ? "every hour"
                  : "every " + s.everyHours + " hours from 00:00")
              + " at :"
              + String.format("%02d", s.minute == null ? 0 : s.minute)
              + " "
              + zone;
      case Daily -> "every day at " + time(s) + " " + zone;
      case Weekly -> "every " + day(s) + " at " + time(s) + " " + zone;
      case Monthly ->
          "on day "
              + s.dayOfMonth
              + " of every month"
              + (s.dayOfMonth != null && s.dayOfMonth > 28
                  ? " (no run in a month without that day)"
                  : "")
              + " at "
              + time(s)
              + " "
              + zone;
    };
  }

  static String what(Timeframe t) {
    if (t == null || t.type == null) {
      return "exporting what is new since the previous run";
    }
    return switch (t.type) {
      case All -> "exporting everything";
      case FixedInterval -> "exporting from " + t.start + " to " + t.end;
      case LastHours -> "exporting the " + t.hours + " hours before each run";
      case LastDay -> "exporting the previous day";
      case LastWeek -> "exporting the previous week (Monday to Sunday)";
      case LastMonth -> "exporting the previous month";
      case SinceLastRun -> "exporting what is new since the previous run";
    };
  }

  /** The Latest Status column: the latest run's state, Pending until the operator has said. */
  static String latest(ExportJob job) {
    var status = job.getStatus();
    return status == null || status.latestStatus == null ? "Pending" : status.latestStatus.name();
  }

  /** The slider: Active, Suspended or Ended; empty until the operator has said. */
  static String activity(ExportJob job) {
    var status = job.getStatus();
    return status == null || status.activity == null ? "" : status.activity.name();
  }

  /** "42% (4200/10000 records) ETA 18:52Z", or a bar on a terminal. */
  static String progress(CurrentRun run, Terminal terminal, Instant now) {
    if (run == null) {
      return "";
    }
    int percent = run.progress == null ? 0 : run.progress;
    String bar = terminal.ansi() ? bar(percent) + " " : "";
    return bar + percent + "%" + eta(run.estimatedCompletionAt, now);
  }

  /** " ETA 14:05Z, 12 min left", as the page's progress bar says on hover; "" if unknown. */
  static String eta(String estimatedCompletionAt, Instant now) {
    Instant at;
    try {
      at = estimatedCompletionAt == null ? null : Instant.parse(estimatedCompletionAt);
    } catch (DateTimeParseException e) {
      return "";
    }
    if (at == null) {
      return "";
    }
    long minutes = (Duration.between(now, at).toSeconds() + 59) / 60;
    String time =
        Duration.between(now, at).compareTo(Duration.ofHours(20)) < 0
            ? minute(at.toString()).substring(11)
            : minute(at.toString());
    String left =
        minutes <= 0
            ? "any moment now"
            : minutes < 60
                ? minutes + " min left"
                : minutes / 60 + " h " + minutes % 60 + " min left";
    return " ETA " + time + ", " + left;
  }

  /** A progress bar of 20 cells, for a terminal. */
  static String bar(int percent) {
    int filled = Math.max(0, Math.min(100, percent)) / 5;
    return "\u2588".repeat(filled) + "\u2591".repeat(20 - filled);
  }

  /** An RFC 3339 instant to the minute, UTC: 2026-11-23T18:52Z. */
  static String minute(String instant) {
    if (instant == null || instant.isEmpty()) {
      return "";
    }
    String text = Instant.parse(instant).toString();
    return text.substring(0, 16) + "Z";
  }

  /** 1h2m, 3m4s, 12s. */
  static String duration(String start, String end) {
    if (start == null || end == null) {
      return "";
    }
    Duration d = Duration.between(Instant.parse(start), Instant.parse(end));
    if (d.toHours() > 0) {
      return d.toHours() + "h" + d.toMinutesPart() + "m";
    }
    return d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
  }

  /** 1.2 MB, 512 B. */
  static String bytes(Long bytes) {
    if (bytes == null) {
      return "";
    }
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static String time(Schedule s) {
    return s.time == null ? "00:00" : s.time;
  }

  private static String day(Schedule s) {
    String name = s.dayOfWeek == null ? "Monday" : s.dayOfWeek.name();
    return name.substring(0, 1).toUpperCase(Locale.ROOT)
        + name.substring(1).toLowerCase(Locale.ROOT);
  }
}
