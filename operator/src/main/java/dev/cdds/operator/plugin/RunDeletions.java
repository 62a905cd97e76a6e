package dev.cdds.operator.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.runcontract.RunDeletionRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Asking the operator to delete runs' files ({@link RunDeletionRequest}), for {@code kubectl cdds
 * files delete} and the dashboard's Artifacts page: which of the runs asked for can be, and the
 * request itself.
 */
final class RunDeletions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CONFLICT_RETRIES = 5;

  private RunDeletions() {}

  /**
   * The runs asked for whose files are still there; refuses more than {@link
   * RunDeletionRequest#MAX_RUNS}, a run that is not in the job's history or is in progress, and
   * says which were deleted already.
   */
  static SortedSet<String> stillThere(
      ExportJob job, SortedSet<String> asked, Consumer<String> alreadyDeleted) {
    if (asked.size() > RunDeletionRequest.MAX_RUNS) {
      throw new IllegalArgumentException(
          "at most " + RunDeletionRequest.MAX_RUNS + " runs at once: " + asked.size() + " given");
    }
    String name = job.getMetadata().getName();
    var status = job.getStatus();
    Map<String, RunRecord> history =
        Stream.ofNullable(status == null ? null : status.history)
            .flatMap(List::stream)
            .collect(Collectors.toMap(r -> r.id, Function.identity(), (a, b) -> a));
    String current = status == null || status.currentRun == null ? null : status.currentRun.id;
    SortedSet<String> left = new TreeSet<>();
    for (String id : asked) {
      if (id.equals(current)) {
        throw new IllegalArgumentException(
            "run "
                + id
                + " is in progress: its files can be deleted once it has ended (kubectl cdds"
                + " history "
                + name
                + ")");
      }
      RunRecord run = history.get(id);
      if (run == null) {
        throw new IllegalArgumentException(
            "run "
                + id
                + " is not in the history of "
                + name
                + ": kubectl cdds history "
                + name
                + " lists its runs");
      }
      if (Boolean.TRUE.equals(run.deleted) || Boolean.TRUE.equals(run.expired)) {
        alreadyDeleted.accept(id);
      } else {
        left.add(id);
      }
    }
    return left;
  }

  /**
   * Adds {@code toDelete} to the runs the job's annotation asks to delete, keeping those the
   * operator has not deleted yet; on the resource version read, so that a request made at the same
   * time is not lost.
   */
  static void request(
      KubernetesClient client, String namespace, String name, SortedSet<String> toDelete) {
    for (int attempt = 1; ; attempt++) {
      ExportJob job = ExportJobLookup.get(client, namespace, name);
      SortedSet<String> requested = pending(job);
      requested.addAll(toDelete);
      if (requested.size() > RunDeletionRequest.MAX_RUNS) {
        throw new IllegalArgumentException(
            "at most "
                + RunDeletionRequest.MAX_RUNS
                + " runs may wait for deletion at once, and "
                + (requested.size() - toDelete.size())
                + " of "
                + name
                + " still wait: try again once they are deleted");
      }
      var patch =
          Map.of(
              "metadata",
              Map.of(
                  "resourceVersion",
                  job.getMetadata().getResourceVersion(),
                  "annotations",
                  Map.of(RunDeletionRequest.ANNOTATION, RunDeletionRequest.value(requested))));
      try {
        ExportJobLookup.named(client, namespace, name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.valueToTree(patch).toString());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  /** The runs the job's annotation asks to delete that history does not show deleted yet. */
  private static SortedSet<String> pending(ExportJob job) {
    SortedSet<String> requested = RunDeletionRequest.of(job);
    if (job.getStatus() != null && job.getStatus().history != null) {
      job.getStatus().history.stream()
          .filter(r -> Boolean.TRUE.equals(r.deleted))
          .forEach(r -> requested.remove(r.id));
    }
    return requested;
  }
}
