package dev.cdds.operator.reconciler;

import java.time.Duration;

/**
 * How long spec.notify's deliveries are retried.
 *
 * @param firstRetry the wait after a first failed attempt; each next one waits twice as long, at
 *     most 5 minutes
 * @param retryFor how long after a notification became due it is given up (condition Notified
 *     False, an Event)
 */
public record NotificationSettings(Duration firstRetry, Duration retryFor) {
  public static final NotificationSettings DEFAULT =
      new NotificationSettings(Duration.ofSeconds(10), Duration.ofHours(1));
}
