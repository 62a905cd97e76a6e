package dev.cdds.operator.bench;

import dev.cdds.operator.api.ExportJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Counts changes to every kind of object the operator writes in a namespace (ExportJobs, CronJobs,
 * ServiceAccounts, Roles, RoleBindings) from the moment it is opened until it is closed.
 */
final class WriteCounter implements AutoCloseable {
  private final AtomicLong writes = new AtomicLong();
  private final Map<String, AtomicLong> byObject = new ConcurrentHashMap<>();
  private final List<Watch> watches = new ArrayList<>();

  private WriteCounter() {}

  static WriteCounter watching(KubernetesClient client, String namespace) {
    var counter = new WriteCounter();
    String rv =
        client
            .resources(ExportJob.class)
            .inNamespace(namespace)
            .list()
            .getMetadata()
            .getResourceVersion();
    var options = new ListOptionsBuilder().withResourceVersion(rv).build();
    var watches = counter.watches;
    watches.add(
        client
            .resources(ExportJob.class)
            .inNamespace(namespace)
            .watch(options, counter.counting()));
    watches.add(client.batch().v1().cronjobs().inNamespace(namespace).watch(counter.counting()));
    watches.add(client.serviceAccounts().inNamespace(namespace).watch(counter.counting()));
    watches.add(client.rbac().roles().inNamespace(namespace).watch(counter.counting()));
    watches.add(client.rbac().roleBindings().inNamespace(namespace).watch(counter.counting()));
    return counter;
  }

  long writes() {
    return writes.get();
  }

  /** The objects written most, as {@code Kind/name:count}, for the detail line. */
  String mostWritten() {
    return byObject.entrySet().stream()
        .sorted(Map.Entry.comparingByValue(Comparator.comparingLong(AtomicLong::get).reversed()))
        .limit(5)
        .map(e -> e.getKey() + ":" + e.getValue().get())
        .collect(Collectors.joining(","));
  }

  /** Counts changes; the ADDED events a watch without a resourceVersion replays are not. */
  private <T extends HasMetadata> Watcher<T> counting() {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.MODIFIED || action == Action.DELETED) {
          writes.incrementAndGet();
          byObject
              .computeIfAbsent(
                  resource.getKind() + "/" + resource.getMetadata().getName(),
                  k -> new AtomicLong())
              .incrementAndGet();
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
