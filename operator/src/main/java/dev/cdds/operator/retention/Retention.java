package dev.cdds.operator.retention;

import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.RunTarget;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a job's runs once they are {@code retentionDays} old, counted from the scheduled time in
 * the run's id: a run scheduled at T expires at exactly T + retentionDays × 24 h. Folders whose
 * name is not a run id of the job are never touched.
 */
public final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private Retention() {}

  /**
   * What a pass found and did.
   *
   * @param deletedUpTo every run scheduled at or before it is gone; absent when retention is off
   * @param oldestKept the scheduled time of the oldest run left, if any
   */
  public record Result(
      List<String> deletedRuns,
      int deletedFiles,
      Optional<Instant> deletedUpTo,
      Optional<Instant> oldestKept,
      int keptRuns,
      List<String> refused) {}

  /**
   * Deletes the runs of {@code archive} that expired by {@code now}, except those in {@code inUse};
   * {@code retentionDays} 0 deletes nothing.
   */
  public static Result apply(
      ExportJobArchive archive, int retentionDays, Instant now, Set<String> inUse)
      throws IOException {
    Optional<Instant> deletedUpTo =
        retentionDays == 0
            ? Optional.empty()
            : Optional.of(now.minus(Duration.ofDays(retentionDays)));
    return delete(
        archive,
        deletedUpTo,
        (id, at) -> deletedUpTo.map(t -> !at.isAfter(t)).orElse(false) && !inUse.contains(id),
        "expired run deleted");
  }

  /** Deletes every run of the job: its data goes with the ExportJob. */
  public static Result deleteAll(ExportJobArchive archive) throws IOException {
    return delete(archive, Optional.of(Instant.MAX), (id, at) -> true, "run deleted");
  }

  /**
   * Deletes the runs {@code runIds} a person asked to delete ({@code kubectl cdds files delete});
   * {@link Result#refused()} names those whose manifest says they are another job's.
   */
  public static Result deleteRuns(ExportJobArchive archive, Set<String> runIds) throws IOException {
    return delete(
        archive, Optional.empty(), (id, at) -> runIds.contains(id), "run deleted on request");
  }

  private static Result delete(
      ExportJobArchive archive, Optional<Instant> upTo, Chosen chosen, String logged)
      throws IOException {
    List<String> deleted = new ArrayList<>();
    List<Instant> kept = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int files = 0;
    for (String runId : archive.runIds()) {
      Optional<Instant> scheduledAt = RunIds.scheduledAt(runId);
      if (scheduledAt.isEmpty()) {
        continue;
      }
      if (chosen.test(runId, scheduledAt.get())) {
        Optional<String> owner = otherOwner(archive, runId);
        if (owner.isPresent()) {
          String why =
              "run "
                  + runId
                  + " in "
                  + archive.location()
                  + " was left alone: its manifest says it is "
                  + owner.get()
                  + "'s";
          LOG.warn("run not deleted reason=\"{}\"", why);
          refused.add(why);
          continue;
        }
        int count = archive.delete(runId);
        LOG.info(
            "{} run={} scheduledAt={} files={} from={}",
            logged,
            runId,
            scheduledAt.get(),
            count,
            archive.location());
        deleted.add(runId);
        files += count;
      } else {
        kept.add(scheduledAt.get());
      }
    }
    return new Result(
        List.copyOf(deleted),
        files,
        upTo.filter(t -> !t.equals(Instant.MAX)),
        kept.stream().min(Comparator.naturalOrder()),
        kept.size(),
        List.copyOf(refused));
  }

  /** Which runs a pass deletes, by id and scheduled time. */
  private interface Chosen {
    boolean test(String runId, Instant scheduledAt);
  }

  /**
   * The job a run's manifest names, when it is not the archive's own: storage anyone may have
   * written to must not make a pass delete another job's data. A manifest that cannot be read names
   * no one, and the run in the job's own folder goes.
   */
  private static Optional<String> otherOwner(ExportJobArchive archive, String runId) {
    Optional<Manifest> manifest;
    try {
      manifest = archive.run(runId).completed();
    } catch (IOException e) {
      return Optional.empty();
    }
    RunTarget own = archive.target(runId);
    return manifest
        .filter(
            m -> !own.namespace().equals(m.namespace()) || !own.exportJob().equals(m.exportJob()))
        .map(m -> m.namespace() + "/" + m.exportJob());
  }
}
