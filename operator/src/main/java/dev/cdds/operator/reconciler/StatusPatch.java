package dev.cdds.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdds.operator.api.ExportJobStatus;
import java.util.List;

/**
 * The operator's part of an ExportJob's status as a JSON merge patch: every field it owns, null for
 * absent ones, and never the progress counters the export pod owns, so that no write of the
 * operator can undo one of the pod's. Ending a run removes currentRun as a whole.
 */
final class StatusPatch {
  /** The status fields the operator owns; the export pod owns the rest of currentRun. */
  static final List<String> OPERATOR_FIELDS =
      List.of(
          "observedGeneration",
          "state",
          "latestStatus",
          "activity",
          "conditions",
          "lastStartedAt",
          "nextStartsAt",
          "exportedThrough",
          "currentRun",
          "notifications",
          "history");

  static final List<String> RUN_FIELDS = List.of("id", "scheduledAt", "queued", "startedAt");
  static final List<String> NOTIFICATION_FIELDS = List.of("pending", "last");
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusPatch() {}

  /** The operator's fields of {@code status}, to tell whether a write is needed. */
  static JsonNode operatorFields(ExportJobStatus status) {
    if (status == null) {
      return JSON.createObjectNode();
    }
    ObjectNode node = JSON.valueToTree(status);
    node.retain(OPERATOR_FIELDS);
    if (node.get("currentRun") instanceof ObjectNode current) {
      current.retain(RUN_FIELDS);
      RUN_FIELDS.forEach(f -> current.set(f, current.get(f)));
    }
    // A merge patch merges objects: a list emptied must be named, as null, to go.
    if (node.get("notifications") instanceof ObjectNode notifications) {
      NOTIFICATION_FIELDS.forEach(f -> notifications.set(f, notifications.get(f)));
    }
    return node;
  }

  /** The merge patch that makes the stored status's operator fields those of {@code desired}. */
  static String of(ExportJobStatus desired) {
    JsonNode fields = operatorFields(desired);
    ObjectNode status = JSON.createObjectNode();
    for (String name : OPERATOR_FIELDS) {
      status.set(name, fields.path(name).isMissingNode() ? null : fields.get(name));
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.set("status", status);
    return patch.toString();
  }
}
