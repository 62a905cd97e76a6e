package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where a notification goes: a URL kept in a Secret, never in the spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationEndpoint {
  @Required
  @JsonPropertyDescription(
      "Secret of the ExportJob's namespace with the key url (http or https) and, for webhooks,"
          + " optionally authorization (sent as the Authorization header).")
  public SecretReference secretRef;

  public NotificationEndpoint() {}

  public NotificationEndpoint(String secret) {
    this.secretRef = new SecretReference(secret);
  }
}
