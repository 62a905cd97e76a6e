package dev.cdds.operator.exporter.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.schedule.ExportWindow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsvCopyTest {
  @Test
  void eachRowIsOneRecordQuotedLineEndsAndAllEndedWithCrLf() throws Exception {
    List<String> records = new ArrayList<>();
    var out = new CsvCopy.Records(collect(records), new boolean[3]);

    for (String row : List.of("1,\"a, \"\"b\"\"\nc\",\n", "2,,\"\"\n", "3,x,\"line\none\"\n")) {
      out.row(row.getBytes(StandardCharsets.UTF_8));
    }

    assertThat(records)
        .containsExactly("1,\"a, \"\"b\"\"\nc\",\r\n", "2,,\"\"\r\n", "3,x,\"line\none\"\r\n");
  }

  @Test
  void writesTimestampColumnsAsRfc3339AndLeavesOtherColumnsAndNullsAlone() throws Exception {
    List<String> records = new ArrayList<>();
    var out =
        new CsvCopy.Records(collect(records), new boolean[] {false, true, false, true, false});

    for (String row :
        List.of(
            "1,2026-01-05 12:34:56.5+00,\"a, \"\"2026-01-05 12:34:56+00\"\",,\"{\"\"k\"\": 1}\"\n",
            "2,,x,2026-12-31 23:59:59+00,\n",
            "3,10000-01-01 00:00:00+00,\"\n\",2026-12-31 23:59:59.123456+00,z\n")) {
      out.row(row.getBytes(StandardCharsets.UTF_8));
    }

    assertThat(records)
        .containsExactly(
            "1,2026-01-05T12:34:56.5Z,\"a, \"\"2026-01-05 12:34:56+00\"\",,\"{\"\"k\"\": 1}\"\r\n",
            "2,,x,2026-12-31T23:59:59Z,\r\n",
            "3,10000-01-01 00:00:00+00,\"\n\",2026-12-31T23:59:59.123456Z,z\r\n");
  }

  @Test
  void aTimestampInTheLastColumnAndRowsLongerThanTheBuffer() throws Exception {
    List<String> records = new ArrayList<>();
    var out = new CsvCopy.Records(collect(records), new boolean[] {false, true});
    String longText = "x".repeat(10_000);

    out.row((longText + ",2026-01-05 12:34:56+00\n").getBytes(StandardCharsets.UTF_8));
    out.row(("\"" + longText + "\",\n").getBytes(StandardCharsets.UTF_8));

    assertThat(records)
        .containsExactly(longText + ",2026-01-05T12:34:56Z\r\n", "\"" + longText + "\",\r\n");
  }

  @Test
  void aRowWithoutItsLineFeedIsAnError() {
    var out = new CsvCopy.Records(collect(new ArrayList<>()), new boolean[1]);

    assertThatThrownBy(() -> out.row("1,2".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line feed");
  }

  private static RecordSink collect(List<String> records) {
    return (bytes, length) -> records.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
  }

  @Test
  void rendersColumnsAsTheJsonLinesDoAndInlinesOnlyQuotedLiterals() {
    String statement =
        CsvCopy.statement(
            Selection.of(
                SourceTable.CONTACTS,
                SourceNames.DOCUMENTED,
                new ExportWindow(
                    Optional.of(Instant.parse("2026-03-01T00:00:00Z")), Optional.empty()),
                Optional.empty()),
            Map.of(
                "id",
                "int8",
                "first_name",
                "text",
                "last_name",
                "text",
                "emails",
                "_text",
                "phones",
                "_text",
                "tenant_id",
                "int4",
                "created_at",
                "timestamptz",
                "modified_at",
                "timestamptz",
                "attributes",
                "jsonb"));

    assertThat(statement)
        .startsWith("COPY (SELECT id, first_name, last_name, to_json(emails)::text")
        .contains(", modified_at, attributes FROM")
        .contains("WHERE modified_at >= '2026-03-01T00:00:00Z' ORDER BY modified_at, id")
        .endsWith("TO STDOUT WITH (FORMAT csv)");
  }

  @Test
  void escapesQuotesInFilterValues() {
    String statement =
        CsvCopy.statement(
            Selection.of(
                SourceTable.EVENTS,
                SourceNames.DOCUMENTED,
                new ExportWindow(Optional.empty(), Optional.empty()),
                Optional.of(List.of("work'item"))),
            Map.of(
                "id",
                "int8",
                "entity_type",
                "text",
                "event_type",
                "text",
                "work_item_id",
                "text",
                "occurred_at",
                "timestamptz",
                "payload",
                "jsonb"));

    assertThat(statement).contains("entity_type IN ('work''item')");
  }
}
