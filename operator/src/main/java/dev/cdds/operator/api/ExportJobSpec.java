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
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.schedule.run != 'Once' || !has(self.timeframe) || self.timeframe.type != 'SinceLastRun'",
    message =
        "a one-time job has no previous run: choose another timeframe.type (All, FixedInterval,"
            + " LastHours, LastDay, LastWeek or LastMonth)",
    fieldPath = ".timeframe.type")
public class ExportJobSpec {
  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("Title shown in listings, 1 to 128 characters. Required.")
  public String title;

  @Size(max = 1024)
  @JsonPropertyDescription("Free-text description of the job, at most 1024 characters.")
  public String description;

  @Required
  @JsonPropertyDescription("What to export: the source system, the record type and filters.")
  public Source source;

  @Required
  @JsonPropertyDescription(
      "When to run: once (now or at a time) or hourly, daily, weekly, monthly.")
  public Schedule schedule;

  @JsonPropertyDescription(
      "Which period of data each run exports. Omitted: SinceLastRun for scheduled jobs (each run"
          + " exports from where the last successful run's window ended), All for one-time jobs.")
  public Timeframe timeframe;

  @Default("{}")
  @JsonPropertyDescription("File format, compression, split size and destination of the files.")
  public Output output;

  @Default("false")
  @JsonPropertyDescription(
      "Suspends the job: no new run starts while true; a run in progress finishes. A one-time"
          + " job can't be resumed once it has started.")
  public Boolean suspend;

  @Default("20")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("How many finished runs status.history keeps, newest first (1-100).")
  public Integer historyLimit;

  @Size(min = 2, max = 16)
  @Pattern("^([0-9]{1,4}h)?([0-9]{1,4}m)?([0-9]{1,5}s)?$")
  @ValidationRule(
      value = "duration(self) >= duration('10s')",
      message = "runTimeout must be at least 10s, such as 6h")
  @JsonPropertyDescription(
      "How long one run may take, from its Job's start (waiting for a node, retries included),"
          + " Go duration (6h, 90m): a run still going then is stopped and recorded Failed with"
          + " reason DeadlineExceeded, and the next run exports its window. Default: the"
          + " operator's --run-timeout (6h).")
  public String runTimeout;

  @Default("5")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Scheduled jobs: after this many consecutive failed runs no new run starts (condition"
          + " Suspended, reason SuspendedAfterFailures, and an Event say why) until kubectl cdds"
          + " resume; a success starts the count again. Counted in status.history, so at most"
          + " historyLimit. 0: never.")
  public Integer suspendAfterFailures;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Who is told when a run ends: webhooks (CloudEvents) and Slack, each with the events it"
          + " wants. Sent by the operator at least once, retried for up to the operator's"
          + " --notification-retry-for (1h); a delivery that finally fails sets the condition"
          + " Notified to False. URLs stay in Secrets. See docs/notifications.md.")
  public List<NotifyTarget> notify;

  @Default("Forbid")
  @JsonPropertyDescription(
      "What happens when a run is due while the previous one is still running: Forbid skips the"
          + " new run (recorded as Missed), Replace cancels the running one and starts the new one.")
  public ConcurrencyPolicy concurrencyPolicy;
}
