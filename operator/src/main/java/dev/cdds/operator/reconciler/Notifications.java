package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobCondition;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.NotificationDelivery;
import dev.cdds.operator.api.NotificationStatus;
import dev.cdds.operator.api.NotifyEvent;
import dev.cdds.operator.api.NotifyTarget;
import dev.cdds.operator.api.PendingNotification;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.notification.CloudEventBody;
import dev.cdds.operator.notification.Delivery;
import dev.cdds.operator.notification.Notification;
import dev.cdds.operator.notification.SlackMessage;
import dev.cdds.operator.runcontract.SecretValues;
import dev.cdds.operator.runcontract.StatusConditions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile step that tells spec.notify's targets of finished runs, at least once. What is to
 * be sent is kept in status until delivered or given up after the retry budget, so an operator
 * restart resends it (with the same id) instead of losing it; the sending itself is the {@link
 * Notifier}'s, off this thread.
 */
final class Notifications {
  static final String DELIVERED = "Delivered";
  static final String FAILED = "Failed";
  private static final int MAX_PENDING = 40;
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

  private final Notifier notifier;
  private final NotificationSettings settings;
  private final MeterRegistry registry;

  Notifications(Notifier notifier, NotificationSettings settings, MeterRegistry registry) {
    this.notifier = notifier;
    this.settings = settings;
    this.registry = registry;
  }

  /**
   * Sets {@code desired}'s notifications and Notified condition from the previous ones, the runs
   * recorded now and the outcomes of attempts; sends what is due. When to look again.
   */
  Optional<Instant> apply(
      ExportJob job,
      ExportJobStatus previous,
      ExportJobStatus desired,
      List<RunRecord> newRuns,
      Instant now,
      KubernetesClient client) {
    Map<String, NotifyTarget> targets = new LinkedHashMap<>();
    Stream.ofNullable(job.getSpec().notify)
        .flatMap(List::stream)
        .forEach(t -> targets.putIfAbsent(t.key(), t));
    NotificationStatus before =
        previous.notifications == null ? new NotificationStatus() : previous.notifications;
    // A target removed from the spec is not told any more, nor reported.
    List<PendingNotification> pending = new ArrayList<>();
    Stream.ofNullable(before.pending)
        .flatMap(List::stream)
        .filter(p -> targets.containsKey(p.target))
        .map(Notifications::copy)
        .forEach(pending::add);
    Map<String, NotificationDelivery> last = new LinkedHashMap<>();
    Stream.ofNullable(before.last)
        .flatMap(List::stream)
        .filter(d -> targets.containsKey(d.target))
        .forEach(d -> last.put(d.target, d));

    for (RunRecord run : newRuns) {
      for (NotifyEvent event : Notification.eventsOf(run)) {
        due(targets, pending, last, run.id, event, now);
      }
    }
    if (becameSuspendedAfterFailures(previous, desired) && desired.history != null) {
      due(targets, pending, last, desired.history.get(0).id, NotifyEvent.Suspended, now);
    }
    for (PendingNotification p : List.copyOf(pending)) {
      notifier
          .take(key(job, p))
          .ifPresent(
              outcome ->
                  outcome
                      .error()
                      .ifPresentOrElse(
                          error -> failedAttempt(p, error, now, pending, last),
                          () -> delivered(p, now, pending, last)));
    }
    while (pending.size() > MAX_PENDING) {
      var oldest = pending.get(0);
      giveUp(oldest, "more than " + MAX_PENDING + " notifications waited", now, pending, last);
    }
    for (PendingNotification p : List.copyOf(pending)) {
      if (notifier.inFlight(key(job, p))
          || (p.nextAttemptAt != null && now.isBefore(Instant.parse(p.nextAttemptAt)))) {
        continue;
      }
      try {
        Delivery delivery = delivery(job, desired, p, targets.get(p.target), client);
        notifier.send(key(job, p), ResourceID.fromResource(job), delivery);
      } catch (IllegalArgumentException e) {
        failedAttempt(p, e.getMessage(), now, pending, last);
      }
    }

    desired.notifications =
        pending.isEmpty() && last.isEmpty() ? null : status(pending, last.values());
    if (!targets.isEmpty()) {
      List<ExportJobCondition> conditions = new ArrayList<>(desired.conditions);
      conditions.add(condition(previous, desired, pending, last, now));
      desired.conditions = List.copyOf(conditions);
    }
    return pending.stream()
        .filter(p -> !notifier.inFlight(key(job, p)) && p.nextAttemptAt != null)
        .map(p -> Instant.parse(p.nextAttemptAt))
        .min(Instant::compareTo);
  }

  private static void due(
      Map<String, NotifyTarget> targets,
      List<PendingNotification> pending,
      Map<String, NotificationDelivery> last,
      String runId,
      NotifyEvent event,
      Instant now) {
    String id = Notification.id(runId, event);
    for (NotifyTarget target : targets.values()) {
      boolean wanted = target.on == null || target.on.contains(event);
      boolean known =
          pending.stream().anyMatch(p -> p.id.equals(id) && p.target.equals(target.key()))
              || Optional.ofNullable(last.get(target.key()))
                  .map(d -> d.id.equals(id))
                  .orElse(false);
      if (wanted && !known) {
        var p = new PendingNotification();
        p.id = id;
        p.target = target.key();
        p.event = event;
        p.run = runId;
        p.since = now.toString();
        p.attempts = 0;
        pending.add(p);
      }
    }
  }

  private void delivered(
      PendingNotification p,
      Instant now,
      List<PendingNotification> pending,
      Map<String, NotificationDelivery> last) {
    pending.remove(p);
    last.put(p.target, delivery(p, DELIVERED, now, p.attempts + 1, null));
    count(p, "delivered");
    LOG.info("notification delivered target={} id={} attempts={}", p.target, p.id, p.attempts + 1);
  }

  private void failedAttempt(
      PendingNotification p,
      String error,
      Instant now,
      List<PendingNotification> pending,
      Map<String, NotificationDelivery> last) {
    p.attempts = p.attempts + 1;
    p.lastError = error;
    Instant deadline = Instant.parse(p.since).plus(settings.retryFor());
    if (!now.isBefore(deadline)) {
      giveUp(p, error, now, pending, last);
      return;
    }
    Duration wait = settings.firstRetry().multipliedBy(1L << Math.min(p.attempts - 1, 20));
    Instant next = now.plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait);
    // The last try is at the deadline, not after it.
    p.nextAttemptAt = (next.isAfter(deadline) ? deadline : next).toString();
    count(p, "retried");
    LOG.info(
        "notification attempt failed target={} id={} attempts={} error=\"{}\" next={}",
        p.target,
        p.id,
        p.attempts,
        error,
        p.nextAttemptAt);
  }

  private void giveUp(
      PendingNotification p,
      String error,
      Instant now,
      List<PendingNotification> pending,
      Map<String, NotificationDelivery> last) {
    pending.remove(p);
    last.put(p.target, delivery(p, FAILED, now, p.attempts, error));
    count(p, "failed");
    LOG.warn(
        "notification given up target={} id={} attempts={} error=\"{}\"",
        p.target,
        p.id,
        p.attempts,
        error);
  }

  private void count(PendingNotification p, String outcome) {
    Counter.builder("cdds_notifications")
        .description("Notification attempts of spec.notify by event, target type and outcome")
        .tag("result", p.event.name())
        .tag("target_type", p.target.substring(0, p.target.indexOf('/')))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private static NotificationDelivery delivery(
      PendingNotification p, String outcome, Instant now, int attempts, String error) {
    var d = new NotificationDelivery();
    d.target = p.target;
    d.id = p.id;
    d.outcome = outcome;
    d.at = now.toString();
    d.attempts = attempts;
    d.error = error;
    return d;
  }

  /** The POST for one target, its URL and credentials read from its Secret now. */
  private static Delivery delivery(
      ExportJob job,
      ExportJobStatus desired,
      PendingNotification p,
      NotifyTarget target,
      KubernetesClient client) {
    var meta = job.getMetadata();
    String secretName =
        target.webhook != null ? target.webhook.secretRef.name : target.slack.secretRef.name;
    Secret secret = client.secrets().inNamespace(meta.getNamespace()).withName(secretName).get();
    if (secret == null) {
      throw new IllegalArgumentException("Secret " + secretName + " not found");
    }
    String url =
        SecretValues.of(secret, "url")
            .orElseThrow(
                () -> new IllegalArgumentException("Secret " + secretName + " lacks the key url"));
    Optional<RunRecord> run =
        Stream.ofNullable(desired.history)
            .flatMap(List::stream)
            .filter(r -> r.id.equals(p.run))
            .findFirst();
    var notification =
        new Notification(
            meta.getNamespace(),
            meta.getName(),
            job.getSpec().title,
            p.event,
            p.run,
            run,
            Instant.parse(p.since),
            target.slack != null ? FilesLink.of(job, run, client) : Optional.empty());
    byte[] body =
        target.webhook != null ? CloudEventBody.of(notification) : SlackMessage.of(notification);
    try {
      return target.webhook != null
          ? Delivery.to(
              url, SecretValues.of(secret, "authorization"), CloudEventBody.CONTENT_TYPE, body)
          : Delivery.to(url, Optional.empty(), "application/json", body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Secret " + secretName + ": " + e.getMessage());
    }
  }

  private static ExportJobCondition condition(
      ExportJobStatus previous,
      ExportJobStatus desired,
      List<PendingNotification> pending,
      Map<String, NotificationDelivery> last,
      Instant now) {
    Optional<NotificationDelivery> failed =
        last.values().stream().filter(d -> FAILED.equals(d.outcome)).findFirst();
    String waiting =
        pending.isEmpty()
            ? ""
            : "; "
                + pending.size()
                + " on the way"
                + pending.stream()
                    .filter(p -> p.lastError != null)
                    .findFirst()
                    .map(p -> " (" + p.target + " last said: " + p.lastError + ", retried)")
                    .orElse("");
    return StatusConditions.of(
        previous,
        StatusConditions.NOTIFIED,
        failed.isEmpty(),
        failed.isPresent() ? "DeliveryFailed" : DELIVERED,
        failed
                .map(Notifications::givenUp)
                .orElse(last.isEmpty() ? "no notification was due yet" : "every one was delivered")
            + waiting,
        now,
        desired);
  }

  /** What the condition and the Event say of a notification given up. */
  static String givenUp(NotificationDelivery d) {
    return "notification "
        + d.id
        + " to "
        + d.target
        + " was given up after "
        + d.attempts
        + " attempt(s): "
        + d.error;
  }

  private static boolean becameSuspendedAfterFailures(
      ExportJobStatus previous, ExportJobStatus desired) {
    return suspendedAfterFailures(desired) && !suspendedAfterFailures(previous);
  }

  private static boolean suspendedAfterFailures(ExportJobStatus status) {
    return StatusConditions.find(status, StatusConditions.SUSPENDED)
        .filter(c -> "True".equals(c.status) && FailureSuspension.REASON.equals(c.reason))
        .isPresent();
  }

  private static NotificationStatus status(
      List<PendingNotification> pending, java.util.Collection<NotificationDelivery> last) {
    var status = new NotificationStatus();
    status.pending = pending.isEmpty() ? null : List.copyOf(pending);
    status.last = last.isEmpty() ? null : List.copyOf(last);
    return status;
  }

  private static Notifier.Key key(ExportJob job, PendingNotification p) {
    return new Notifier.Key(job.getMetadata().getUid(), p.target, p.id);
  }

  private static PendingNotification copy(PendingNotification p) {
    var c = new PendingNotification();
    c.id = p.id;
    c.target = p.target;
    c.event = p.event;
    c.run = p.run;
    c.since = p.since;
    c.attempts = p.attempts == null ? 0 : p.attempts;
    c.nextAttemptAt = p.nextAttemptAt;
    c.lastError = p.lastError;
    return c;
  }
}
