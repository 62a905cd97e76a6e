package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.notification.Delivery;
import dev.cdds.operator.notification.WebhookSender;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends notifications off the reconcile threads, so that a slow or dead receiver never delays
 * another job. A reconciliation hands over what is due and later takes the outcomes; each outcome
 * wakes its job up at once (an event source of its own).
 */
final class Notifier {
  /** One notification to one target of one job. */
  record Key(String jobUid, String target, String id) {}

  /** Delivered, or why not. */
  record Outcome(Optional<String> error) {}

  private static final int THREADS = 4;

  private final WebhookSender sender = new WebhookSender();
  private final SimpleInboundEventSource<ExportJob> wakeUps = new SimpleInboundEventSource<>();
  private final Set<Key> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<Key, Outcome> outcomes = new ConcurrentHashMap<>();
  private final ExecutorService pool;

  Notifier() {
    var count = new AtomicInteger();
    pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              var thread = new Thread(r, "notifier-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  SimpleInboundEventSource<ExportJob> eventSource() {
    return wakeUps;
  }

  boolean inFlight(Key key) {
    return inFlight.contains(key);
  }

  /** The outcome of a finished attempt, once. */
  Optional<Outcome> take(Key key) {
    return Optional.ofNullable(outcomes.remove(key));
  }

  void send(Key key, ResourceID job, Delivery delivery) {
    if (!inFlight.add(key)) {
      return;
    }
    pool.execute(
        () -> {
          Outcome outcome;
          try {
            outcome = new Outcome(sender.post(delivery));
          } catch (RuntimeException e) {
            outcome = new Outcome(Optional.of("error (" + e.getClass().getSimpleName() + ")"));
          }
          // Recorded before it stops being in flight, so no reconciliation sends it again between.
          outcomes.put(key, outcome);
          inFlight.remove(key);
          wakeUps.propagateEvent(job);
        });
  }

  void forget(String jobUid) {
    outcomes.keySet().removeIf(k -> k.jobUid().equals(jobUid));
  }
}
