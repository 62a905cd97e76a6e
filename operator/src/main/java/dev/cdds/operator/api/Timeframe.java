package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type != 'FixedInterval' || (has(self.start) && has(self.end))",
    message = "start and end are required when timeframe.type is FixedInterval",
    fieldPath = ".start",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.type == 'FixedInterval' || (!has(self.start) && !has(self.end))",
    message = "start and end are only used when timeframe.type is FixedInterval: remove them",
    fieldPath = ".start",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.start) || !has(self.end) || timestamp(self.start) < timestamp(self.end)",
    message = "timeframe.start must be before timeframe.end",
    fieldPath = ".end")
@ValidationRule(
    value = "self.type != 'LastHours' || has(self.hours)",
    message = "hours is required when timeframe.type is LastHours",
    fieldPath = ".hours",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.type == 'LastHours' || !has(self.hours)",
    message = "hours is only used when timeframe.type is LastHours: remove it",
    fieldPath = ".hours",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.type == 'SinceLastRun' || (!has(self.settleTime) && !has(self.maxCatchUp))",
    message =
        "settleTime and maxCatchUp are only used when timeframe.type is SinceLastRun: remove them",
    fieldPath = ".settleTime",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.settleTime) || duration(self.settleTime) <= duration('24h')",
    message = "timeframe.settleTime must be at most 24h",
    fieldPath = ".settleTime")
@ValidationRule(
    value = "!has(self.maxCatchUp) || duration(self.maxCatchUp) >= duration('1h')",
    message = "timeframe.maxCatchUp must be at least 1h",
    fieldPath = ".maxCatchUp")
public class Timeframe {
  /** When settleTime is omitted: longer than a transaction or a replica usually lags. */
  public static final String DEFAULT_SETTLE_TIME = "15m";

  /** When maxCatchUp is omitted: 93 days, so a Monthly job catches up two missed runs. */
  public static final String DEFAULT_MAX_CATCH_UP = "2232h";

  @Required
  @JsonPropertyDescription(
      "All: everything in the source. FixedInterval: from start to end. LastHours: the hours"
          + " before the scheduled time. LastDay, LastWeek, LastMonth: the calendar day, week"
          + " (Monday to Sunday) or month before the scheduled time, in the schedule's timeZone."
          + " SinceLastRun (scheduled jobs only): from where the last successful run's window"
          + " ended (status.exportedThrough) to settleTime before this run's scheduled time, so"
          + " consecutive runs, manual ones included, neither miss nor repeat a record and a"
          + " failed or missed run is caught up by the next one.")
  public TimeframeType type;

  @Size(max = 64)
  @Pattern(SpecDateTime.PATTERN)
  @JsonPropertyDescription(
      "FixedInterval only, required: start of the window, inclusive (RFC 3339 date-time with Z or an offset,"
          + " at most 9 fractional digits).")
  public String start;

  @Size(max = 64)
  @Pattern(SpecDateTime.PATTERN)
  @JsonPropertyDescription(
      "FixedInterval only, required: end of the window, exclusive (RFC 3339 date-time with Z or an offset, at"
          + " most 9 fractional digits), after"
          + " start.")
  public String end;

  @Min(1)
  @Max(744)
  @JsonPropertyDescription("LastHours only, required: number of hours to export (1-744).")
  public Integer hours;

  @Size(min = 2, max = 16)
  @Pattern("^([0-9]{1,4}h)?([0-9]{1,4}m)?$")
  @JsonPropertyDescription(
      "SinceLastRun only: how long before its scheduled time a run's window ends (Go duration"
          + " in hours and minutes: 15m, 1h30m; 0m to 24h). Rows are windowed by a time they"
          + " carry (started_at, modified_at, occurred_at), not by when they were committed: a"
          + " row dated 01:58 may commit at 02:03. Waiting this long lets such rows commit"
          + " before their window is read. Default: "
          + DEFAULT_SETTLE_TIME
          + ".")
  public String settleTime;

  @Size(min = 2, max = 16)
  @Pattern("^([0-9]{1,5}h)?([0-9]{1,4}m)?$")
  @JsonPropertyDescription(
      "SinceLastRun only: the longest window one run exports when catching up after failed or"
          + " missed runs (Go duration: 168h; at least 1h). Data older than that is reported as"
          + " a gap (condition GapDetected, an Event, history) instead of exported. Default: "
          + DEFAULT_MAX_CATCH_UP
          + " (93 days).")
  public String maxCatchUp;
}
