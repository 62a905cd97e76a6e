package dev.cdds.operator.exporter;

import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 reader, independent of the writer under test. */
final class Csv {
  private Csv() {}

  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    var field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        row.add(value(field, wasQuoted));
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(value(field, wasQuoted));
        rows.add(row);
        row = new ArrayList<>();
        field.setLength(0);
        wasQuoted = false;
        i++;
      } else {
        field.append(c);
      }
    }
    return rows;
  }

  private static String value(StringBuilder field, boolean quoted) {
    return field.length() == 0 && !quoted ? null : field.toString();
  }
}
