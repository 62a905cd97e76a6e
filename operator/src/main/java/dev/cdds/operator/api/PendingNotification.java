package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A notification not yet delivered: kept in status so that an operator restart resends it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingNotification {
  @Required
  @Size(max = 128)
  @JsonPropertyDescription("The event's id: the run id and the event (the CloudEvent id).")
  public String id;

  @Required
  @Size(max = 300)
  @JsonPropertyDescription("The target: webhook/<secret> or slack/<secret>.")
  public String target;

  @Required
  @JsonPropertyDescription("What happened.")
  public NotifyEvent event;

  @Required
  @Size(max = 128)
  @JsonPropertyDescription("The run it is about.")
  public String run;

  @Required
  @JsonPropertyDescription("When it became due (RFC 3339): retries stop after the retry budget.")
  public String since;

  @Max(2147483647)
  @JsonPropertyDescription("Attempts made so far.")
  public Integer attempts;

  @JsonPropertyDescription("When the next attempt is made (RFC 3339).")
  public String nextAttemptAt;

  @Size(max = 256)
  @JsonPropertyDescription("Why the last attempt failed: an HTTP status or a network error.")
  public String lastError;
}
