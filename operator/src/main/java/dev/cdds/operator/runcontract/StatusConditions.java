package dev.cdds.operator.runcontract;

import dev.cdds.operator.api.ExportJobCondition;
import dev.cdds.operator.api.ExportJobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The conditions of an ExportJob's status: their types, and how one is read and written. */
public final class StatusConditions {
  public static final String READY = "Ready";
  public static final String RUNNING = "Running";
  public static final String SUSPENDED = "Suspended";
  public static final String RETENTION = "Retention";
  public static final String GAP_DETECTED = "GapDetected";
  public static final String ENDED = "Ended";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String NOTIFIED = "Notified";

  private StatusConditions() {}

  public static Optional<ExportJobCondition> find(ExportJobStatus status, String type) {
    return Optional.ofNullable(status.conditions).orElse(List.of()).stream()
        .filter(c -> type.equals(c.type))
        .findFirst();
  }

  /** A condition that keeps its previous transition time when its status did not change. */
  public static ExportJobCondition of(
      ExportJobStatus previous,
      String type,
      boolean value,
      String reason,
      String message,
      Instant now,
      ExportJobStatus current) {
    var c = new ExportJobCondition();
    c.type = type;
    c.status = value ? "True" : "False";
    c.reason = reason;
    c.message = StatusText.bounded(message);
    c.observedGeneration = current.observedGeneration;
    c.lastTransitionTime =
        find(previous, type)
            .filter(p -> c.status.equals(p.status))
            .map(p -> p.lastTransitionTime)
            .orElse(now.toString());
    return c;
  }
}
