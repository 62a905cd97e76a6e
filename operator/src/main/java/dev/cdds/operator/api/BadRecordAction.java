package dev.cdds.operator.api;

/** What a run does with a record it cannot export as it is. */
public enum BadRecordAction {
  /** The run fails, naming the record's id; nothing is published. */
  Fail,
  /** The record is left out, counted, and its id listed in the manifest. */
  Skip
}
