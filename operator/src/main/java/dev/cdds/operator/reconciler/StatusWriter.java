package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.runcontract.FieldManagers;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * The last reconcile step: one JSON merge patch of the operator's fields only, and only when they
 * differ from what is stored. It names each of them (null for absent ones) and never the export
 * pod's progress counters, which stay as the pod wrote them; when the run ends, it removes the
 * whole run. The result goes into the operator's cache at once, so the next reconciliation never
 * decides on a status older than its own last write (it would start a one-time job twice).
 */
final class StatusWriter {
  private StatusWriter() {}

  static void write(ExportJob job, ExportJobStatus desired, Context<ExportJob> context) {
    if (StatusPatch.operatorFields(desired).equals(StatusPatch.operatorFields(job.getStatus()))) {
      return;
    }
    String patch = StatusPatch.of(desired);
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        job,
        context,
        unchanged -> unchanged,
        // On the object itself: a patch by name makes the client read the object first.
        unchanged ->
            context
                .getClient()
                .resource(job)
                .subresource("status")
                .patch(
                    new PatchContext.Builder()
                        .withPatchType(PatchType.JSON_MERGE)
                        .withFieldManager(FieldManagers.OPERATOR)
                        .build(),
                    patch));
  }
}
