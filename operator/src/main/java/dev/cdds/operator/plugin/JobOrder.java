package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Function;

/** The orders the Jobs table can be sorted in; ties, and jobs without the time, by name. */
final class JobOrder {
  private JobOrder() {}

  static Comparator<ExportJob> of(String sort) {
    Comparator<ExportJob> byName =
        Comparator.comparing(
            (ExportJob j) -> j.getMetadata().getNamespace() + "/" + j.getMetadata().getName());
    return switch (sort.toLowerCase(Locale.ROOT)) {
      case "name" -> byName;
      case "title" ->
          Comparator.comparing((ExportJob j) -> j.getSpec().title, String.CASE_INSENSITIVE_ORDER)
              .thenComparing(byName);
      case "created" ->
          newestFirst(j -> j.getMetadata().getCreationTimestamp()).thenComparing(byName);
      case "last" ->
          newestFirst(j -> j.getStatus() == null ? null : j.getStatus().lastStartedAt)
              .thenComparing(byName);
      case "next" ->
          Comparator.comparing(
                  (ExportJob j) -> j.getStatus() == null ? null : j.getStatus().nextStartsAt,
                  Comparator.nullsLast(Comparator.<String>naturalOrder()))
              .thenComparing(byName);
      default ->
          throw new IllegalArgumentException(
              "--sort must be name, title, created, last or next, not " + sort);
    };
  }

  /** RFC 3339 times in UTC, as the API server writes them, sort as text. */
  private static Comparator<ExportJob> newestFirst(Function<ExportJob, String> time) {
    return Comparator.comparing(time, Comparator.nullsLast(Comparator.<String>reverseOrder()));
  }
}
