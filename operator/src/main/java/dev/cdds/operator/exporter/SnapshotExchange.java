package dev.cdds.operator.exporter;

import dev.cdds.operator.api.SharedSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How the pods of a partitioned run agree on what they read: the first pod shares the snapshot it
 * exported and the partitions' bounds, the others wait for them.
 */
public interface SnapshotExchange {
  /** What a first pod of this run shared, if one did: an earlier attempt's, if this is a retry. */
  Optional<SharedSnapshot> shared();

  void share(SharedSnapshot snapshot);

  /** Longer than the first pod may take to start, connect and split the window. */
  Duration TIMEOUT = Duration.ofMinutes(10);

  Duration POLL = Duration.ofMillis(250);

  /**
   * The shared snapshot, once there.
   *
   * @throws IllegalStateException when none comes in time
   */
  default SharedSnapshot await() throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    Optional<SharedSnapshot> shared;
    while ((shared = shared()).isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "partition 0 has not shared the run's snapshot in "
                + TIMEOUT.toMinutes()
                + " minutes: see the log of its pod");
      }
      Thread.sleep(POLL.toMillis());
    }
    return shared.get();
  }

  /** A run of one pod shares nothing. */
  SnapshotExchange NONE =
      new SnapshotExchange() {
        @Override
        public Optional<SharedSnapshot> shared() {
          return Optional.empty();
        }

        @Override
        public void share(SharedSnapshot snapshot) {}

        @Override
        public SharedSnapshot await() {
          throw new IllegalStateException("a run of one pod shares no snapshot");
        }
      };
}
