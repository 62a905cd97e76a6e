package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How far one partition of a partitioned run is, as its own pod reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PartitionProgress {
  @Min(0)
  @JsonPropertyDescription("Records of this partition exported so far.")
  public Long recordsDone;

  @Min(0)
  @JsonPropertyDescription(
      "Records in this partition's range: the planner's estimate until the count is done.")
  public Long recordsTotal;

  @Min(0)
  @JsonPropertyDescription("Bytes this partition has written to the destination so far.")
  public Long bytes;

  @Max(2147483647)
  @Min(0)
  @JsonPropertyDescription("Files this partition has completed so far.")
  public Integer files;
}
