package dev.cdds.operator.exporter;

import java.nio.file.Path;

/** Which run this is, and the directory its files go to: {@code <root>/<ns>/<job>/<run-id>/}. */
public record RunTarget(String namespace, String exportJob, String runId, Path root) {
  public Path directory() {
    return root.resolve(namespace).resolve(exportJob).resolve(runId);
  }
}
