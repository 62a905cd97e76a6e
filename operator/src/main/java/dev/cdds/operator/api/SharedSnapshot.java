package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * What the first pod of a partitioned run tells the others: the database snapshot they all read in,
 * and where each partition's range of the window ends.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SharedSnapshot {
  @Size(max = 50)
  @JsonPropertyDescription(
      "The snapshot's identifier as pg_export_snapshot() gave it: the pods of the run read the"
          + " source in it (SET TRANSACTION SNAPSHOT) while the first pod holds it open.")
  public String id;

  @Size(max = 31)
  @JsonPropertyDescription(
      "Where the partitions' ranges of the window column meet (RFC 3339), in order: partition i"
          + " reads from bound i-1 (inclusive) to bound i (exclusive); the first from the"
          + " window's start, the last to its end.")
  public List<String> bounds;
}
