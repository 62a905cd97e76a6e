package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Preconditions that held for a job's current generation a moment ago are not read again: a job is
 * reconciled once more as soon as its CronJob appears, and at 5,000 jobs the Secret and claim reads
 * of that second pass were a fifth of all requests. A failed check is never kept, and a kept one
 * only for {@link OperatorSettings#preconditionRecheck()}, so a Secret deleted meanwhile shows
 * within that time.
 */
final class RecentChecks {
  private record Passed(long generation, Instant at, Connections connections) {}

  private final Map<String, Passed> passed = new ConcurrentHashMap<>();
  private final OperatorSettings settings;

  RecentChecks(OperatorSettings settings) {
    this.settings = settings;
  }

  Preconditions.Result check(ExportJob job, KubernetesClient client, Instant now) {
    String uid = job.getMetadata().getUid();
    long generation = job.getMetadata().getGeneration();
    Passed last = passed.get(uid);
    if (last != null
        && last.generation() == generation
        && now.isBefore(last.at().plus(settings.preconditionRecheck()))) {
      return Preconditions.Result.ready(last.connections());
    }
    var result = new Preconditions(client, settings).check(job, now);
    result
        .connections()
        .ifPresentOrElse(
            c -> passed.put(uid, new Passed(generation, now, c)), () -> passed.remove(uid));
    return result;
  }

  void forget(String uid) {
    passed.remove(uid);
  }
}
