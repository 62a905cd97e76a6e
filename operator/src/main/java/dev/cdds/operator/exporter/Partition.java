package dev.cdds.operator.exporter;

/**
 * Which part of a run's window a pod reads: {@code index} of {@code count} ranges. A run of one
 * partition reads the whole window in one stream. In a partitioned run the first partition also
 * coordinates: it takes the snapshot every partition reads in, holds it until every other partition
 * has written its files, and publishes the run's one manifest.
 */
public record Partition(int index, int count) {
  /** The most pods one run may read with (spec.output.parallelism's maximum). */
  public static final int MAX_COUNT = 32;

  public static final Partition WHOLE = new Partition(0, 1);

  public Partition {
    if (count < 1 || count > MAX_COUNT || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "partition " + index + " of " + count + ": the index must be 0 to " + (count - 1));
    }
  }

  public boolean partitioned() {
    return count > 1;
  }

  /** The partition that takes the snapshot and publishes the manifest. */
  public boolean first() {
    return index == 0;
  }

  /** The name of a file set's parts: {@code part}, or {@code part-p02} for partition 2. */
  String fileSet(String baseName) {
    return partitioned() ? baseName + "-p" + twoDigits() : baseName;
  }

  /** Where the partition's own manifest goes until the first partition merges them. */
  String resultFile() {
    return RESULT_PREFIX + twoDigits() + ".json";
  }

  static final String RESULT_PREFIX = "partition-";

  private String twoDigits() {
    return String.format("%02d", index);
  }
}
