package dev.cdds.operator.api;

/** The kind of record a job exports. */
public enum SourceType {
  Interaction,
  Contact,
  Event
}
