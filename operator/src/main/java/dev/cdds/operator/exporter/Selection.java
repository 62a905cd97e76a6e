package dev.cdds.operator.exporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows a run exports: its window and media or entity filter on a source table, as SQL on
 * indexed columns, in export order. The count, the row cursor and COPY all use this one text. COPY
 * takes no bind parameters, so values are literals: instants we format, and types the CRD allows
 * only as lowercase identifiers (quotes are escaped all the same).
 */
record Selection(SourceTable table, ExportWindow window, Optional<List<String>> filter) {

  /** {@code FROM <table> [WHERE …]}. */
  String from() {
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
    return "FROM "
        + table.table()
        + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
  }

  /** {@code FROM … ORDER BY <window column>, id}: the order of the exported records. */
  String fromInOrder() {
    return from() + " ORDER BY " + table.windowColumn() + ", id";
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
