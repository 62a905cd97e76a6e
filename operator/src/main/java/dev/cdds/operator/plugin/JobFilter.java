package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The Jobs page's filters: source, record type, status (the latest run's, or the slider's) and a
 * search in the title and name. Each is case-insensitive; an absent one lets every job through.
 */
record JobFilter(String source, String type, String status, String search)
    implements Predicate<ExportJob> {
  @Override
  public boolean test(ExportJob job) {
    var spec = job.getSpec();
    return matches(source, spec.source.system)
        && matches(type, spec.source.type.name())
        && (matches(status, Describe.latest(job)) || matches(status, Describe.activity(job)))
        && (search == null
            || contains(spec.title, search)
            || contains(job.getMetadata().getName(), search));
  }

  private static boolean matches(String wanted, String actual) {
    return wanted == null || wanted.equalsIgnoreCase(actual);
  }

  private static boolean contains(String text, String part) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }
}
