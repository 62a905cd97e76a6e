package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.path) || self.path.matches('^/([^/.][^/]*(/[^/.][^/]*)*)?$')",
    message =
        "path must be an absolute directory such as /exports or /exports/daily, without . or .."
            + " segments",
    fieldPath = ".path",
    reason = "FieldValueInvalid")
public class PvcDestination {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription("Name of the PersistentVolumeClaim, in the job's namespace.")
  public String claimName;

  @Default("/")
  @Size(max = 1024)
  @JsonPropertyDescription(
      "Directory inside the volume, absolute, without . or .. segments; / by default. Files go"
          + " to <path>/<namespace>/<exportjob>/<run-id>/.")
  public String path;
}
