package dev.cdds.operator.exporter;

import dev.cdds.operator.exporter.source.BadRecords;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.storage.UntrustedManifestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What each partition of a partitioned run leaves for the first one: a manifest of its own range
 * ({@code partition-02.json}), which the first partition reads, checks as storage hostile to us,
 * and merges, in partition order, into the run's one manifest.
 */
final class PartitionResults {
  /** How often the first partition looks for the others' results: small files, a cheap read. */
  static final Duration POLL = Duration.ofMillis(100);

  private PartitionResults() {}

  static void write(RunStore store, Partition partition, Manifest manifest) throws IOException {
    store.write(partition.resultFile(), manifest.toJson());
  }

  /** The partition's result if an earlier attempt of it wrote one, checked. */
  static Optional<Manifest> read(RunStore store, RunTarget target, Partition partition)
      throws IOException {
    try (InputStream in = store.open(partition.resultFile())) {
      return Optional.of(checked(Manifest.read(in), target, partition));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Removes what an earlier attempt of {@code partition} left, its result included. */
  static void clear(RunStore store, Partition partition) throws IOException {
    store.clear(partition.resultFile());
    store.clear(partition.fileSet("part") + "-");
    store.clear(partition.fileSet("attachments") + "-");
  }

  /**
   * Waits for the results of every partition after the first, calling {@code waiting} between
   * looks, and returns them in partition order.
   */
  static List<Manifest> awaitOthers(RunStore store, RunTarget target, int count, Runnable waiting)
      throws IOException, InterruptedException {
    List<Manifest> results = new ArrayList<>();
    for (int index = 1; index < count; index++) {
      var partition = new Partition(index, count);
      Optional<Manifest> result;
      while ((result = read(store, target, partition)).isEmpty()) {
        waiting.run();
        Thread.sleep(POLL.toMillis());
      }
      results.add(result.get());
    }
    return results;
  }

  /** The run's manifest: {@code first}'s, with every other partition's files after its own. */
  static Manifest merge(Manifest first, List<Manifest> others, RunTarget target, String at) {
    List<Manifest> all = Stream.concat(Stream.of(first), others.stream()).toList();
    List<Manifest.SkippedRecord> listed =
        all.stream()
            .flatMap(m -> m.skipped() == null ? Stream.empty() : m.skipped().stream())
            .limit(BadRecords.LISTED)
            .toList();
    return Manifest.of(target, first.scheduledAt())
        .window(first.windowStart(), first.windowEnd())
        .source(first.recordType(), first.sourceTable(), first.filter())
        .format(first.format(), first.compression(), first.encryption())
        .records(
            merged(
                all.stream()
                    .map(
                        m ->
                            new Manifest.FileSet(
                                m.recordType(),
                                m.recordSchema(),
                                m.records(),
                                m.bytes(),
                                m.files()))
                    .toList()))
        .attachments(
            first.attachments() == null
                ? null
                : merged(all.stream().map(Manifest::attachments).toList()))
        .skipped(all.stream().mapToLong(Manifest::skippedRecords).sum(), listed)
        .completedAt(at);
  }

  private static Manifest.FileSet merged(List<Manifest.FileSet> sets) {
    Manifest.FileSet first = sets.get(0);
    List<PartFile> files = new ArrayList<>();
    long records = 0;
    long bytes = 0;
    for (Manifest.FileSet set : sets) {
      if (set == null) {
        continue;
      }
      files.addAll(set.files());
      records += set.records();
      bytes += set.bytes();
    }
    return new Manifest.FileSet(first.recordType(), first.recordSchema(), records, bytes, files);
  }

  /**
   * A partition's result as storage holds it: it must be of this run and name only the partition's
   * own files, or the run is refused.
   */
  private static Manifest checked(Manifest result, RunTarget target, Partition partition)
      throws UntrustedManifestException {
    String name = partition.resultFile();
    if (!target.namespace().equals(result.namespace())
        || !target.exportJob().equals(result.exportJob())
        || !target.runId().equals(result.runId())) {
      throw new UntrustedManifestException(name + " is not of this run: the run is refused");
    }
    String parts = partition.fileSet("part") + "-";
    String attachments = partition.fileSet("attachments") + "-";
    if ((result.attachments() != null && result.attachments().files() == null)
        || result.records() < 0
        || result.skippedRecords() < 0) {
      throw new UntrustedManifestException(
          name + " is not a partition's result: the run is refused");
    }
    for (PartFile file : result.allFiles()) {
      if (!file.name().startsWith(parts) && !file.name().startsWith(attachments)) {
        throw new UntrustedManifestException(
            name
                + " names "
                + file.name()
                + ", not a file of partition "
                + partition.index()
                + ": the run is refused");
      }
    }
    return result;
  }
}
