package dev.cdds.operator.runcontract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Table and column names of a site whose database differs from docs/source-schema.md, set in the
 * operator's configuration: for each table, by its documented name, the site's table and the site's
 * name of any column that differs. The export still reads and writes the documented names: the
 * site's table is read through a subquery that renames its columns, which PostgreSQL flattens, so
 * the window and filter still use the site's indexes.
 *
 * <pre>
 * interactions:
 *   table: ch.interaction_fact
 *   columns: {started_at: start_ts, media_type: media}
 * </pre>
 */
public record SourceNames(Map<String, TableNames> tables) {
  public static final SourceNames DOCUMENTED = new SourceNames(Map.of());
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}(\\.[A-Za-z_][A-Za-z0-9_$]{0,62})?");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One table's names at the site; {@code table} omitted keeps the documented name. */
  public record TableNames(String table, Map<String, String> columns) {}

  /**
   * Reads the names from YAML (or JSON, its subset) and checks them: every table and column must be
   * one the exporter knows, every name an SQL identifier (optionally schema-qualified).
   *
   * @throws IllegalArgumentException naming the entry that is wrong
   */
  public static SourceNames parse(String yaml) {
    Map<String, TableNames> tables;
    try {
      tables =
          YAML.readValue(
              yaml,
              YAML.getTypeFactory()
                  .constructMapType(LinkedHashMap.class, String.class, TableNames.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "source names: " + e.getOriginalMessage() + " (expected <table>: {table, columns})");
    }
    if (tables == null) {
      return DOCUMENTED;
    }
    List<String> known = Arrays.stream(SourceTable.values()).map(SourceTable::table).toList();
    for (var entry : tables.entrySet()) {
      SourceTable table =
          Arrays.stream(SourceTable.values())
              .filter(t -> t.table().equals(entry.getKey()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "source names: unknown table "
                              + entry.getKey()
                              + ", expected one of "
                              + String.join(", ", known)));
      TableNames names = entry.getValue();
      if (names.table() != null) {
        identifier(entry.getKey() + ".table", names.table());
      }
      if (names.columns() != null) {
        for (var column : names.columns().entrySet()) {
          if (!table.columns().contains(column.getKey())) {
            throw new IllegalArgumentException(
                "source names: "
                    + entry.getKey()
                    + " has no column "
                    + column.getKey()
                    + ", expected one of "
                    + String.join(", ", table.columns()));
          }
          identifier(entry.getKey() + ".columns." + column.getKey(), column.getValue());
        }
      }
    }
    return new SourceNames(Map.copyOf(tables));
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(tables);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What to select {@code table}'s rows from: its documented name, or a renaming subquery. */
  public String relation(SourceTable table) {
    if (!tables.containsKey(table.table())) {
      return table.table();
    }
    List<String> select = new ArrayList<>();
    for (String column : table.columns()) {
      String site = column(table, column);
      select.add(site.equals(column) ? column : site + " AS " + column);
    }
    return "(SELECT "
        + String.join(", ", select)
        + " FROM "
        + table(table)
        + ") AS "
        + table.table();
  }

  /** The site's name of {@code table} (optionally schema-qualified). */
  public String table(SourceTable table) {
    TableNames names = tables.get(table.table());
    return names == null || names.table() == null ? table.table() : names.table();
  }

  /** The site's name of {@code column}, a documented column of {@code table}. */
  public String column(SourceTable table, String column) {
    TableNames names = tables.get(table.table());
    return names == null || names.columns() == null
        ? column
        : names.columns().getOrDefault(column, column);
  }

  private static void identifier(String where, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "source names: "
              + where
              + " must be an SQL identifier such as start_ts or schema.table_name, not "
              + name);
    }
  }
}
