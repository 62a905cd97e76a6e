package dev.cdds.operator.retention;

import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.RetentionStatus;
import dev.cdds.operator.runcontract.FieldManagers;
import dev.cdds.operator.runcontract.StatusApply;
import dev.cdds.operator.runcontract.StatusText;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/**
 * Puts what a retention pass found into {@code status.retention} by server-side apply, never
 * touching the run progress or the operator's fields. What a pass found and the error of a failed
 * one have a field manager each: a failure keeps what the last successful pass found, and a success
 * removes the error by applying nothing under the error's manager.
 */
public final class RetentionReporter {

  private final KubernetesClient client;
  private final String namespace;
  private final String exportJob;

  public RetentionReporter(KubernetesClient client, String namespace, String exportJob) {
    this.client = client;
    this.namespace = namespace;
    this.exportJob = exportJob;
  }

  public void passed(Retention.Result result, Instant checkedAt) {
    var retention = new RetentionStatus();
    retention.checkedAt = checkedAt.toString();
    retention.deletedUpTo = result.deletedUpTo().map(Instant::toString).orElse(null);
    retention.oldestKeptRun = result.oldestKept().map(Instant::toString).orElse(null);
    retention.keptRuns = result.keptRuns();
    apply(retention, FieldManagers.RETENTION);
    clearError();
  }

  /** Removes the error of an earlier failed pass: applies nothing under the error's manager. */
  public void clearError() {
    apply(new RetentionStatus(), FieldManagers.RETENTION_ERROR);
  }

  public void failed(String error) {
    var retention = new RetentionStatus();
    retention.error = StatusText.bounded(error);
    apply(retention, FieldManagers.RETENTION_ERROR);
  }

  private void apply(RetentionStatus retention, String fieldManager) {
    var status = new ExportJobStatus();
    status.retention = retention;
    StatusApply.apply(client, namespace, exportJob, status, fieldManager);
  }
}
