package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Notifications on their way, and the last one of each target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationStatus {
  @Size(max = 40)
  @JsonPropertyDescription(
      "Notifications not yet delivered, oldest first; beyond 40 the oldest are given up (and"
          + " said so in the Notified condition).")
  public List<PendingNotification> pending;

  @Size(max = 8)
  @JsonPropertyDescription("The last notification of each target and how it ended.")
  public List<NotificationDelivery> last;
}
