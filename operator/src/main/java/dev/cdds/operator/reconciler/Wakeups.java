package dev.cdds.operator.reconciler;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The reconciliation's own timer: the earliest of the instants its steps want to look again. */
final class Wakeups {
  private Wakeups() {}

  @SafeVarargs
  static Optional<Instant> earliest(Optional<Instant>... instants) {
    return Stream.of(instants).flatMap(Optional::stream).min(Comparator.naturalOrder());
  }
}
