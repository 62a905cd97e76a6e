package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.pvc) != has(self.s3)",
    message = "set exactly one of destination.pvc or destination.s3")
public class Destination {
  @JsonPropertyDescription("A directory on a PersistentVolumeClaim in the job's namespace.")
  public PvcDestination pvc;

  @JsonPropertyDescription("A bucket of S3-compatible object storage.")
  public S3Destination s3;
}
