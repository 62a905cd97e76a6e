package dev.cdds.operator.plugin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fields of a query string or a posted form ({@code application/x-www-form-urlencoded}). */
final class DashboardForm {
  private DashboardForm() {}

  /** Each field's value (the first when repeated), blank ones left out. */
  static Map<String, String> parse(String encoded) {
    Map<String, String> fields = new LinkedHashMap<>();
    parseAll(encoded).forEach((key, values) -> fields.put(key, values.get(0)));
    return fields;
  }

  /** Every value of each field, in order: a form's checkboxes of one name. */
  static Map<String, List<String>> parseAll(String encoded) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return fields;
    }
    for (String pair : encoded.split("&")) {
      String[] kv = pair.split("=", 2);
      String key = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
      String value = kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8).trim() : "";
      if (!value.isEmpty()) {
        fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
    return fields;
  }
}
