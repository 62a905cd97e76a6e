package dev.cdds.operator.plugin;

import dev.cdds.operator.runcontract.PrintableText;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as kubectl prints one: upper-case headers, columns padded to their widest cell. Cells are
 * shown as {@link PrintableText#line}; the one colour a table has is its own, by the state a column
 * holds.
 */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private int colouredColumn = -1;
  private Terminal terminal;

  Table(List<String> headers) {
    this.headers = headers;
  }

  /** Colours each cell of {@code header}'s column by the state its first word names. */
  Table colouredBy(String header, Terminal terminal) {
    this.colouredColumn = headers.indexOf(header);
    this.terminal = terminal;
    return this;
  }

  void add(List<String> row) {
    rows.add(row.stream().map(PrintableText::line).toList());
  }

  String render() {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    var out = new StringBuilder();
    line(out, headers, widths, -1);
    for (List<String> row : rows) {
      line(out, row, widths, colouredColumn);
    }
    return out.toString();
  }

  private void line(StringBuilder out, List<String> cells, int[] widths, int coloured) {
    var line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(i == coloured ? terminal.color(cell.split(" ", 2)[0], cell) : cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - cell.length() + 3));
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
