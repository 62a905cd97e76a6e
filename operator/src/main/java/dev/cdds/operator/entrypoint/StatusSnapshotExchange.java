package dev.cdds.operator.entrypoint;

import dev.cdds.operator.api.CurrentRun;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.SharedSnapshot;
import dev.cdds.operator.exporter.SnapshotExchange;
import dev.cdds.operator.runcontract.FieldManagers;
import dev.cdds.operator.runcontract.StatusApply;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * The pods of a partitioned run agree through their ExportJob's status: the first writes {@code
 * status.currentRun.sharedSnapshot} under a field manager of its own, the others read it there.
 */
final class StatusSnapshotExchange implements SnapshotExchange {
  private final KubernetesClient client;
  private final String namespace;
  private final String exportJob;
  private final String runId;

  StatusSnapshotExchange(
      KubernetesClient client, String namespace, String exportJob, String runId) {
    this.client = client;
    this.namespace = namespace;
    this.exportJob = exportJob;
    this.runId = runId;
  }

  @Override
  public Optional<SharedSnapshot> shared() {
    ExportJob job;
    try {
      job = client.resources(ExportJob.class).inNamespace(namespace).withName(exportJob).get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("reading the run's shared snapshot: " + e.getMessage(), e);
    }
    CurrentRun current = job == null || job.getStatus() == null ? null : job.getStatus().currentRun;
    return current != null && runId.equals(current.id)
        ? Optional.ofNullable(current.sharedSnapshot)
        : Optional.empty();
  }

  @Override
  public void share(SharedSnapshot snapshot) {
    var status = new ExportJobStatus();
    status.currentRun = new CurrentRun();
    status.currentRun.id = runId;
    status.currentRun.sharedSnapshot = snapshot;
    try {
      StatusApply.apply(client, namespace, exportJob, status, FieldManagers.SNAPSHOT);
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("sharing the run's snapshot: " + e.getMessage(), e);
    }
  }
}
