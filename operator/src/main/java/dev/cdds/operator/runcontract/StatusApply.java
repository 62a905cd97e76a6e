package dev.cdds.operator.runcontract;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * How pods write into an ExportJob's status: server-side apply of the fields they own under their
 * own field manager. It needs only {@code patch} on {@code exportjobs/status}, and never touches a
 * field another manager owns.
 */
public final class StatusApply {
  private StatusApply() {}

  public static void apply(
      KubernetesClient client,
      String namespace,
      String exportJob,
      ExportJobStatus status,
      String fieldManager) {
    var patch = new ExportJob();
    patch.getMetadata().setName(exportJob);
    patch.getMetadata().setNamespace(namespace);
    patch.setStatus(status);
    client
        .resource(patch)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(fieldManager)
                .withForce(true)
                .build());
  }
}
