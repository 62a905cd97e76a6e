package dev.cdds.operator.api;

/** The Jobs page's slider: whether runs start. */
public enum Activity {
  /** Runs start as scheduled. */
  Active,
  /** No run starts: spec.suspend, suspended after failures, or a one-time job that has run. */
  Suspended,
  /** A recurring job past spec.schedule.endAt. */
  Ended
}
