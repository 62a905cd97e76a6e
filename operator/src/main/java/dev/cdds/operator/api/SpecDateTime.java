package dev.cdds.operator.api;

/**
 * The date-times a spec may hold. The API server's {@code date-time} format takes any number of
 * fractional digits, which {@link java.time.Instant#parse} refuses past nine; the pattern keeps
 * what the server accepts within what the operator reads. (A CEL rule cannot: it sees such a field
 * as a timestamp, already parsed.)
 */
final class SpecDateTime {
  static final String PATTERN =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,9})?"
          + "(Z|[+-][0-9]{2}:[0-9]{2})$";

  private SpecDateTime() {}
}
