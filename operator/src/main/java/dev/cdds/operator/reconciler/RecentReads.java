package dev.cdds.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Secrets and claims the preconditions read, kept a short while by namespace and name:
 * thousands of jobs usually share a few, and every reconcile of every job read them again (at
 * 10,000 jobs, 2.8 of the 9 requests a job). Only what was found is kept, so one created shows at
 * the next reconcile; one changed or deleted shows within {@link
 * OperatorSettings#preconditionRecheck()}; and what a failed check read is dropped ({@link
 * Preconditions#check}).
 */
final class RecentReads {
  /** Past this many, reads older than the keeping time are dropped. */
  private static final int TIDY_ABOVE = 1_000;

  private record Read(Instant at, HasMetadata object) {}

  private final Map<String, Read> reads = new ConcurrentHashMap<>();
  private final Duration keep;

  RecentReads(Duration keep) {
    this.keep = keep;
  }

  /** Reads that are never kept: each one goes to the API server. */
  static RecentReads none() {
    return new RecentReads(Duration.ZERO);
  }

  Optional<Secret> secret(KubernetesClient client, String namespace, String name, Instant now) {
    return read(
            "Secret/" + namespace + "/" + name,
            now,
            () -> client.secrets().inNamespace(namespace).withName(name).get())
        .map(Secret.class::cast);
  }

  Optional<PersistentVolumeClaim> claim(
      KubernetesClient client, String namespace, String name, Instant now) {
    return read(
            "PersistentVolumeClaim/" + namespace + "/" + name,
            now,
            () -> client.persistentVolumeClaims().inNamespace(namespace).withName(name).get())
        .map(PersistentVolumeClaim.class::cast);
  }

  /** Drops what was read in {@code namespace}. */
  void forget(String namespace) {
    reads.keySet().removeIf(key -> key.split("/")[1].equals(namespace));
  }

  private Optional<HasMetadata> read(String key, Instant now, Supplier<HasMetadata> get) {
    Read last = reads.get(key);
    if (last != null && now.isBefore(last.at().plus(keep))) {
      return Optional.of(last.object());
    }
    HasMetadata object = get.get();
    if (object == null || keep.isZero()) {
      reads.remove(key);
      return Optional.ofNullable(object);
    }
    if (reads.size() > TIDY_ABOVE) {
      reads.values().removeIf(r -> !now.isBefore(r.at().plus(keep)));
    }
    reads.put(key, new Read(now, object));
    return Optional.of(object);
  }
}
