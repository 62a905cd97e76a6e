package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** How the last notification to one target ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationDelivery {
  @Required
  @Size(max = 300)
  @JsonPropertyDescription("The target: webhook/<secret> or slack/<secret>.")
  public String target;

  @Required
  @Size(max = 128)
  @JsonPropertyDescription("The event's id: the run id and the event.")
  public String id;

  @Required
  @Pattern("^(Delivered|Failed)$")
  @JsonPropertyDescription("Delivered, or Failed once the retry budget was spent.")
  public String outcome;

  @JsonPropertyDescription("When it ended (RFC 3339).")
  public String at;

  @Max(2147483647)
  @JsonPropertyDescription("Attempts it took.")
  public Integer attempts;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Failed: why the last attempt failed (an HTTP status or a network error).")
  public String error;
}
