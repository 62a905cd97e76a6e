package dev.cdds.operator.exporter;

import dev.cdds.operator.api.SharedSnapshot;
import java.util.Optional;

/**
 * How the pods of a partitioned run agree on what they read: the first pod shares the snapshot it
 * exported and the partitions' bounds, the others wait for them.
 */
public interface SnapshotExchange {
  /** What a first pod of this run shared, if one did: an earlier attempt's, if this is a retry. */
  Optional<SharedSnapshot> shared();

  void share(SharedSnapshot snapshot);

  /**
   * The shared snapshot, once there.
   *
   * @throws IllegalStateException when none comes in time
   */
  SharedSnapshot await() throws InterruptedException;

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
