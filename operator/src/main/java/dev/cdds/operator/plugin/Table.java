package dev.cdds.operator.plugin;

import java.util.ArrayList;
import java.util.List;

/** A table as kubectl prints one: upper-case headers, columns padded to their widest cell. */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(List<String> headers) {
    this.headers = headers;
  }

  void add(List<String> row) {
    rows.add(row);
  }

  /** The table as text; widths ignore the escape codes of coloured cells. */
  String render() {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], visible(row.get(i)));
      }
    }
    var out = new StringBuilder();
    line(out, headers, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    var line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - visible(cell) + 3));
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  private static int visible(String cell) {
    return cell.replaceAll("\u001b\\[[0-9;]*m", "").length();
  }
}
