package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Output {
  @ValidationRule(
      value = "isQuantity(string(self)) && !quantity(string(self)).isLessThan(quantity('1Mi'))",
      message = "fileSplitSize must be a size of at least 1Mi, such as 256Mi or 1Gi")
  @JsonPropertyDescription(
      "Largest size of one file as written to the destination (after compression), as a"
          + " Kubernetes quantity such as 256Mi or 1Gi, at least 1Mi. Omitted: one file per run.")
  public Quantity fileSplitSize;

  @Default("jsonl")
  @JsonPropertyDescription("Record format: jsonl (one JSON object a line) or csv (RFC 4180).")
  public OutputFormat format;

  @Default("gzip")
  @JsonPropertyDescription("Compression of each file: gzip or none.")
  public Compression compression;

  @JsonPropertyDescription(
      "Where the files go. Omitted: the default destination set when the operator was"
          + " installed.")
  public Destination destination;
}
