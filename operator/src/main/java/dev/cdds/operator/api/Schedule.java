package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Each mode takes exactly the fields it uses; the rules below reject a field another mode uses
 * rather than ignore it, so a typo in the mode can't silently change when a job runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.run != 'Once' || !has(self.startImmediately)",
    message =
        "startImmediately is for recurring schedules: a one-time job starts at startAt, or as soon"
            + " as it is created without it",
    fieldPath = ".startImmediately",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.run != 'Once' || !has(self.endAt)",
    message = "endAt is for recurring schedules: a one-time job runs once; remove it",
    fieldPath = ".endAt",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.startImmediately) || !self.startImmediately || !has(self.startAt)",
    message =
        "startImmediately and startAt are exclusive: run at once on creation, or not before"
            + " startAt; remove one",
    fieldPath = ".startImmediately",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "!has(self.startAt) || !has(self.endAt) || timestamp(self.startAt) < timestamp(self.endAt)",
    message = "endAt must be after startAt",
    fieldPath = ".endAt")
@ValidationRule(
    value = "self.run != 'Once' || self.timeZone == 'UTC'",
    message = "timeZone is not used when run is Once (startAt carries its own offset): remove it",
    fieldPath = ".timeZone",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.run != 'Hourly' || has(self.everyHours)",
    message = "everyHours is required when run is Hourly",
    fieldPath = ".everyHours",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.run == 'Hourly' || !has(self.everyHours)",
    message = "everyHours is only used when run is Hourly: remove it",
    fieldPath = ".everyHours",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.run != 'Hourly' || has(self.minute)",
    message = "minute is required when run is Hourly",
    fieldPath = ".minute",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.run == 'Hourly' || !has(self.minute)",
    message = "minute is only used when run is Hourly: remove it",
    fieldPath = ".minute",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!(self.run in ['Daily', 'Weekly', 'Monthly']) || has(self.time)",
    message = "time (HH:MM) is required when run is Daily, Weekly or Monthly",
    fieldPath = ".time",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.run in ['Daily', 'Weekly', 'Monthly'] || !has(self.time)",
    message = "time is only used when run is Daily, Weekly or Monthly: remove it",
    fieldPath = ".time",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.run != 'Weekly' || has(self.dayOfWeek)",
    message = "dayOfWeek is required when run is Weekly",
    fieldPath = ".dayOfWeek",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.run == 'Weekly' || !has(self.dayOfWeek)",
    message = "dayOfWeek is only used when run is Weekly: remove it",
    fieldPath = ".dayOfWeek",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.run != 'Monthly' || has(self.dayOfMonth)",
    message = "dayOfMonth is required when run is Monthly",
    fieldPath = ".dayOfMonth",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.run == 'Monthly' || !has(self.dayOfMonth)",
    message = "dayOfMonth is only used when run is Monthly: remove it",
    fieldPath = ".dayOfMonth",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.run != 'Once' || !has(self.jitter)",
    message = "jitter is not used when run is Once: remove it",
    fieldPath = ".jitter",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.jitter) || duration(self.jitter) <= duration('6h')",
    message = "jitter must be at most 6h",
    fieldPath = ".jitter")
public class Schedule {
  @Required
  @JsonPropertyDescription(
      "How often the job runs: Once, Hourly, Daily, Weekly or Monthly. Each mode takes only its"
          + " own fields; a field of another mode is rejected.")
  public RunMode run;

  @Size(max = 64)
  @Pattern(SpecDateTime.PATTERN)
  @JsonPropertyDescription(
      "When the job starts, as an RFC 3339 date-time with Z or an offset and at most 9"
          + " fractional digits (2026-12-01T02:00:00Z). Once: the run starts at that instant;"
          + " omitted, or before the job was created (a clone of an old job), as soon as the job is"
          + " created; its id, data window and retention count from that minute, as scheduled"
          + " runs do. Hourly, Daily, Weekly, Monthly: no run is scheduled before it; the first is"
          + " the first scheduled time at or after it (status.nextStartsAt says when).")
  public String startAt;

  @JsonPropertyDescription(
      "Hourly, Daily, Weekly and Monthly: true runs the job once as soon as it is created"
          + " (trigger immediate in history), then on its schedule. Its window follows the"
          + " timeframe (SinceLastRun: from the previous scheduled time to now), so the next"
          + " scheduled run continues from where it ended. Not with startAt.")
  public Boolean startImmediately;

  @Size(max = 64)
  @Pattern(SpecDateTime.PATTERN)
  @JsonPropertyDescription(
      "Hourly, Daily, Weekly and Monthly: no run starts at or after this RFC 3339 date-time."
          + " The job then shows Ended and keeps its history and files (until they expire); a"
          + " later endAt resumes the schedule. After startAt.")
  public String endAt;

  @Min(1)
  @Max(23)
  @JsonPropertyDescription(
      "Hourly only, required: run every N hours (1-23), counted from 00:00 of each day in"
          + " timeZone; with 5, runs are at 00, 05, 10, 15 and 20 h.")
  public Integer everyHours;

  @Min(0)
  @Max(59)
  @JsonPropertyDescription("Hourly only, required: minute past the hour to start at (0-59).")
  public Integer minute;

  @Pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")
  @JsonPropertyDescription(
      "Daily, Weekly and Monthly, required: time of day to start, HH:MM on a 24-hour clock,"
          + " two digits each (00:00-23:59), in timeZone.")
  public String time;

  @JsonPropertyDescription("Weekly only, required: day of the week, Monday to Sunday.")
  public Weekday dayOfWeek;

  @Min(1)
  @Max(31)
  @JsonPropertyDescription(
      "Monthly only, required: day of the month (1-31). A month without that day has no run:"
          + " with 31, nothing runs in April, June, September or November.")
  public Integer dayOfMonth;

  @Size(min = 2, max = 16)
  @Pattern("^([0-9]{1,2}h)?([0-9]{1,4}m)?([0-9]{1,5}s)?$")
  @JsonPropertyDescription(
      "Hourly, Daily, Weekly and Monthly: spreads the starts of jobs scheduled at the same time"
          + " (Go duration, at most 6h: 10m). Each run starts a fixed offset inside it after its"
          + " scheduled time, the same for every run of the job (derived from its uid); its data"
          + " window is that of the scheduled time. Manual runs start at once. Default: the"
          + " operator's --default-jitter (none).")
  public String jitter;

  @Default("UTC")
  @Size(min = 1, max = 64)
  @Pattern("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
  @JsonPropertyDescription(
      "IANA time zone of the schedule (Europe/Paris), UTC by default. Runs follow the wall"
          + " clock of that zone, as the Kubernetes CronJob controller does: on the day daylight"
          + " saving starts, a time in the skipped hour has no run; on the day it ends, a time in"
          + " the repeated hour runs twice. Keep UTC for fixed UTC times, as the Jobs page had.")
  public String timeZone;
}
