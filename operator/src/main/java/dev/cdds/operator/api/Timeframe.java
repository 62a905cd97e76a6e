package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
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
public class Timeframe {
  @Required
  @JsonPropertyDescription(
      "All: everything in the source. FixedInterval: from start to end. LastHours: the hours"
          + " before the scheduled time. LastDay, LastWeek, LastMonth: the calendar day, week"
          + " (Monday to Sunday) or month before the scheduled time, in the schedule's timeZone."
          + " SinceLastRun (scheduled jobs only): from the previous scheduled time to this one,"
          + " so consecutive runs neither miss nor repeat a record.")
  public TimeframeType type;

  @JsonPropertyDescription(
      "FixedInterval only, required: start of the window, inclusive (RFC 3339 date-time).")
  public String start;

  @JsonPropertyDescription(
      "FixedInterval only, required: end of the window, exclusive (RFC 3339 date-time), after"
          + " start.")
  public String end;

  @Min(1)
  @Max(744)
  @JsonPropertyDescription("LastHours only, required: number of hours to export (1-744).")
  public Integer hours;
}
