package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One receiver of the job's notifications and what it is told of. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.webhook) != has(self.slack)",
    message = "set exactly one of webhook or slack in each spec.notify entry")
public class NotifyTarget {
  @JsonProperty("on")
  @Default("[\"Failed\",\"Missed\",\"DeadlineExceeded\",\"GapDetected\"]")
  @Size(min = 1, max = 6)
  @JsonPropertyDescription(
      "What this target is told of: any of Succeeded, Failed, Missed, DeadlineExceeded,"
          + " GapDetected, Suspended (after failures). Default: Failed, Missed, DeadlineExceeded,"
          + " GapDetected.")
  public List<NotifyEvent> on;

  @JsonPropertyDescription(
      "An HTTP endpoint that receives each notification as a CloudEvents 1.0 JSON event (type"
          + " dev.cdds.exportjob.run.<event>, id the run id and the event, so a receiver can"
          + " drop duplicates).")
  public NotificationEndpoint webhook;

  @JsonPropertyDescription("A Slack incoming webhook: a readable message per notification.")
  public NotificationEndpoint slack;

  /** How status and describe name this target: its kind and Secret, never its URL. */
  @JsonIgnore
  public String key() {
    return webhook != null ? "webhook/" + webhook.secretRef.name : "slack/" + slack.secretRef.name;
  }
}
