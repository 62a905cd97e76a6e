package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** The run in progress; its counters are written by the export pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CurrentRun {
  @Size(max = 63)
  @JsonPropertyDescription("Run id, also the folder of its files and the name of its Job.")
  public String id;

  @JsonPropertyDescription("When the run was due; its data window is derived from this time.")
  public String scheduledAt;

  @JsonPropertyDescription(
      "True while the run waits for its turn, with no pod yet: until its jitter has passed and"
          + " fewer than the operator's --max-concurrent-exports-per-source runs of its source"
          + " Secret are going.")
  public Boolean queued;

  @JsonPropertyDescription("When the export pod started (RFC 3339).")
  public String startedAt;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percent of records exported so far (0-100).")
  public Integer progress;

  @Min(0)
  @JsonPropertyDescription("Records exported so far.")
  public Long recordsDone;

  @Min(0)
  @JsonPropertyDescription("Records in the window, counted or estimated before exporting.")
  public Long recordsTotal;

  @Min(0)
  @JsonPropertyDescription("Bytes written to the destination so far.")
  public Long bytes;

  // An int: a larger number would be stored and then unreadable.
  @Max(2147483647)
  @Min(0)
  @JsonPropertyDescription("Files completed so far.")
  public Integer files;

  @JsonPropertyDescription("Estimated time of completion at the current rate (RFC 3339).")
  public String estimatedCompletionAt;

  @JsonPropertyDescription(
      "Set while a partitioned run (spec.output.parallelism above 1) goes: the snapshot its pods"
          + " share and the ranges they read.")
  public SharedSnapshot sharedSnapshot;

  @JsonPropertyDescription(
      "Each partition's own progress in a partitioned run, by partition index (0, 1, ...); the"
          + " counters above add them up.")
  public Map<String, PartitionProgress> partitions;
}
