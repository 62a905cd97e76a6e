package dev.cdds.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** apiserver_request_total: every request the API server answered, from anyone, by kind. */
final class ApiRequests {
  private ApiRequests() {}

  /** Counts by "VERB:resource[/subresource]". */
  static Map<String, Double> byKind(KubernetesClient client) {
    Map<String, Double> total = new TreeMap<>();
    for (String line : client.raw(client.getMasterUrl() + "metrics").split("\n")) {
      if (line.startsWith("apiserver_request_total{")) {
        String subresource = label(line, "subresource");
        String key =
            label(line, "verb")
                + ":"
                + label(line, "resource")
                + (subresource.isEmpty() ? "" : "/" + subresource);
        total.merge(
            key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
      }
    }
    return total;
  }

  /** {@code after} less {@code before}, kind by kind. */
  static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> delta = new TreeMap<>(after);
    before.forEach((k, v) -> delta.merge(k, -v, Double::sum));
    return delta;
  }

  static double total(Map<String, Double> requests) {
    return requests.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The kinds with at least 0.1 a unit, most first: "APPLY:cronjobs=1.0,…". */
  static String per(Map<String, Double> requests, int units) {
    return requests.entrySet().stream()
        .filter(e -> e.getValue() / units >= 0.1)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .map(e -> String.format(Locale.ROOT, "%s=%.1f", e.getKey(), e.getValue() / units))
        .collect(Collectors.joining(","));
  }

  private static String label(String line, String name) {
    int at = line.indexOf("," + name + "=\"");
    if (at < 0) {
      at = line.indexOf("{" + name + "=\"");
    }
    if (at < 0) {
      return "";
    }
    int start = at + name.length() + 3;
    return line.substring(start, line.indexOf('"', start));
  }
}
