package dev.cdds.operator.runcontract;

import dev.cdds.operator.api.Source;
import dev.cdds.operator.api.SourceType;
import java.util.List;
import java.util.Optional;

/** Where each record type lives, and the column a window and a filter apply to (all indexed). */
public enum SourceTable {
  INTERACTIONS(
      "interaction",
      "interactions",
      "started_at",
      "media_type",
      List.of(
          "id",
          "contact_id",
          "media_type",
          "direction",
          "status",
          "subject",
          "queue",
          "agent_id",
          "started_at",
          "ended_at",
          "tenant_id",
          "attributes")),
  CONTACTS(
      "contact",
      "contacts",
      "modified_at",
      null,
      List.of(
          "id",
          "first_name",
          "last_name",
          "emails",
          "phones",
          "tenant_id",
          "created_at",
          "modified_at",
          "attributes")),
  EVENTS(
      "event",
      "events",
      "occurred_at",
      "entity_type",
      List.of("id", "entity_type", "event_type", "work_item_id", "occurred_at", "payload")),
  /** Exported with the interactions they belong to, never on their own. */
  ATTACHMENTS(
      "attachment",
      "attachments",
      null,
      null,
      List.of("id", "interaction_id", "file_name", "mime_type", "size", "content"));

  private final String recordType;
  private final String table;
  private final String windowColumn;
  private final String filterColumn;
  private final List<String> columns;

  SourceTable(
      String recordType,
      String table,
      String windowColumn,
      String filterColumn,
      List<String> columns) {
    this.recordType = recordType;
    this.table = table;
    this.windowColumn = windowColumn;
    this.filterColumn = filterColumn;
    this.columns = columns;
  }

  public static SourceTable of(Source source) {
    if (source.type == SourceType.Event) {
      return EVENTS;
    }
    return source.type == SourceType.Contact ? CONTACTS : INTERACTIONS;
  }

  /** The media or entity types the job selects; empty for all. */
  public Optional<List<String>> filterValues(Source source) {
    List<String> values = this == EVENTS ? source.entityTypes : source.mediaTypes;
    return filterColumn == null ? Optional.empty() : Optional.ofNullable(values);
  }

  public String recordType() {
    return recordType;
  }

  public String table() {
    return table;
  }

  public String windowColumn() {
    return windowColumn;
  }

  public String filterColumn() {
    return filterColumn;
  }

  public List<String> columns() {
    return columns;
  }
}
