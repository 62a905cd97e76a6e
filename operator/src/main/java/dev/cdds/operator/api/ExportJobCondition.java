package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Kubernetes-style condition, with bounded strings so status stays small. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExportJobCondition {
  @Required
  @Size(max = 64)
  @JsonPropertyDescription("Condition type, one of those listed under status.conditions.")
  public String type;

  @Required
  @Pattern("^(True|False|Unknown)$")
  @JsonPropertyDescription("True, False or Unknown.")
  public String status;

  @Size(max = 128)
  @JsonPropertyDescription("One CamelCase word saying why, such as SourceSecretMissing.")
  public String reason;

  @Size(max = 1024)
  @JsonPropertyDescription("What happened and what to do, for people.")
  public String message;

  @JsonPropertyDescription("When status last changed (RFC 3339).")
  public String lastTransitionTime;

  @JsonPropertyDescription("metadata.generation of the spec this condition was computed from.")
  public Long observedGeneration;
}
