package dev.cdds.operator.exporter.source;

import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.schedule.ExportWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows a run exports: its window and media or entity filter on a source table, as SQL on
 * indexed columns, in export order. The count, the row cursor and COPY all use this one text. COPY
 * takes no bind parameters, so values are literals: instants we format, and types the CRD allows
 * only as lowercase identifiers (quotes are escaped all the same).
 */
public record Selection(
    SourceTable table, SourceNames names, List<String> conditions, String order) {

  /** The rows of {@code table} in the window, of the selected media or entity types. */
  public static Selection of(
      SourceTable table, SourceNames names, ExportWindow window, Optional<List<String>> filter) {
    List<String> conditions = new ArrayList<>();
    window
        .start()
        .ifPresent(t -> conditions.add(table.windowColumn() + " >= " + literal(t.toString())));
    window
        .end()
        .ifPresent(t -> conditions.add(table.windowColumn() + " < " + literal(t.toString())));
    filter.ifPresent(
        values ->
            conditions.add(
                table.filterColumn()
                    + " IN ("
                    + String.join(", ", values.stream().map(Selection::literal).toList())
                    + ")"));
    return new Selection(table, names, conditions, table.windowColumn() + ", id");
  }

  /** The attachments of the selected interactions, grouped by interaction. */
  public Selection attachments() {
    return new Selection(
        SourceTable.ATTACHMENTS,
        names,
        List.of("interaction_id IN (SELECT id " + from() + ")"),
        "interaction_id, id");
  }

  /** These rows, of those also meeting {@code condition} (SQL on the table's columns). */
  public Selection where(String condition) {
    List<String> all = new ArrayList<>(conditions);
    all.add(condition);
    return new Selection(table, names, List.copyOf(all), order);
  }

  /**
   * These rows, of those whose window column is from {@code from} (inclusive) to {@code to}
   * (exclusive): one partition's range.
   */
  public Selection range(Optional<Instant> from, Optional<Instant> to) {
    Selection range = this;
    if (from.isPresent()) {
      range = range.where(table.windowColumn() + " >= " + literal(from.get().toString()));
    }
    if (to.isPresent()) {
      range = range.where(table.windowColumn() + " < " + literal(to.get().toString()));
    }
    return range;
  }

  /** {@code FROM <table> [WHERE …]}. */
  String from() {
    return "FROM "
        + names.relation(table)
        + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
  }

  /** {@code FROM … ORDER BY …}: the order of the exported records. */
  public String fromInOrder() {
    return from() + " ORDER BY " + order;
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
