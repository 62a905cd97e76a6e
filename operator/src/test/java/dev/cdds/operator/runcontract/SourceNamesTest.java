package dev.cdds.operator.runcontract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourceNamesTest {
  @Test
  void renamesThroughASubqueryWithTheDocumentedColumnNames() {
    var names =
        SourceNames.parse("events:\n  table: iwd.event_log\n  columns: {occurred_at: ts}\n");

    assertThat(names.relation(SourceTable.EVENTS))
        .isEqualTo(
            "(SELECT id, entity_type, event_type, work_item_id, ts AS occurred_at, payload"
                + " FROM iwd.event_log) AS events");
    assertThat(names.relation(SourceTable.CONTACTS)).isEqualTo("contacts");
  }

  @Test
  void survivesTheTripThroughThePodEnvironment() {
    var names = SourceNames.parse("contacts: {columns: {first_name: given_name}}");

    assertThat(SourceNames.parse(names.toJson())).isEqualTo(names);
  }

  @Test
  void refusesWhatItCannotUseNamingTheEntry() {
    assertThatThrownBy(() -> SourceNames.parse("orders: {table: x}"))
        .hasMessageContaining("unknown table orders")
        .hasMessageContaining("interactions");
    assertThatThrownBy(() -> SourceNames.parse("events: {columns: {started_at: x}}"))
        .hasMessageContaining("events has no column started_at");
    assertThatThrownBy(() -> SourceNames.parse("events: {table: \"x; DROP TABLE y\"}"))
        .hasMessageContaining("events.table must be an SQL identifier");
    assertThatThrownBy(() -> SourceNames.parse("events: {tabel: x}"))
        .hasMessageContaining("source names:");
  }
}
