package dev.cdds.operator.storage;

/** Which run this is; its files go under {@code <namespace>/<exportjob>/<run-id>/}. */
public record RunTarget(String namespace, String exportJob, String runId) {
  /** The run's folder relative to the destination's root, with a trailing slash. */
  public String folder() {
    return namespace + "/" + exportJob + "/" + runId + "/";
  }
}
