package dev.cdds.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.retention.DataRetention;
import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.RunDeletionRequest;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The runs a person asked to delete ({@code kubectl cdds files delete}, annotation {@link
 * RunDeletionRequest#ANNOTATION}): marked deleted in history once a prune Job deleted them, and
 * handed to a prune Job while some are left. A run in progress waits until it ends; ids not in
 * history are not this job's to delete.
 */
final class RequestedDeletion {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestedDeletion() {}

  /**
   * Starts a prune Job for the requested runs left to delete, unless a prune Job runs or waits to
   * be retried; when to look again, if nothing will wake the job up.
   */
  static Optional<Instant> startIfPending(
      Observed observed,
      ExportJobStatus status,
      Optional<Connections> connections,
      OperatorSettings settings,
      KubernetesClient client) {
    SortedSet<String> pending = pending(observed, status);
    // A prune Job's end wakes the job up; the retry of a failed one is DataRetention's wake-up.
    if (connections.isEmpty()
        || pending.isEmpty()
        || !DataRetention.pruneMayStart(observed.pruneJobs(), observed.now())) {
      return Optional.empty();
    }
    boolean started =
        PruneJobs.start(
            observed.job(),
            connections.get(),
            settings,
            observed.now(),
            client,
            PruneJobs.Purpose.requested(pending));
    // Prune Jobs are named after their minute: when this minute's has done other runs (asked for
    // in the same minute), the next minute's Job takes these.
    return started
        ? Optional.empty()
        : Optional.of(observed.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60));
  }

  /** The history with each run a prune Job deleted on request marked deleted. */
  static List<RunRecord> markDeleted(List<RunRecord> history, List<Job> pruneJobs) {
    if (history == null) {
      return null;
    }
    Set<String> deleted =
        pruneJobs.stream()
            .filter(j -> JobCompletion.finishedAs(j, "Complete"))
            .flatMap(j -> PruneJobs.requestedRuns(j).stream())
            .collect(Collectors.toSet());
    return history.stream()
        .map(
            run -> {
              if (!deleted.contains(run.id) || Boolean.TRUE.equals(run.deleted)) {
                return run;
              }
              // A copy: the records may be the ones of the status as read, which must stay as read.
              RunRecord copy = JSON.convertValue(run, RunRecord.class);
              copy.deleted = true;
              return copy;
            })
        .toList();
  }

  /** Requested runs in history, not deleted yet, not in progress. */
  static SortedSet<String> pending(Observed observed, ExportJobStatus status) {
    Set<String> requested = RunDeletionRequest.of(observed.job());
    String current = status.currentRun == null ? null : status.currentRun.id;
    return status.history == null
        ? new TreeSet<>()
        : status.history.stream()
            .filter(r -> requested.contains(r.id))
            .filter(r -> !Boolean.TRUE.equals(r.deleted) && !r.id.equals(current))
            .map(r -> r.id)
            .collect(Collectors.toCollection(TreeSet::new));
  }
}
