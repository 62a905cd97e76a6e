package dev.cdds.operator.api;

/** What to do with a run that is due while the previous run of the same job is still going. */
public enum ConcurrencyPolicy {
  Forbid,
  Replace
}
