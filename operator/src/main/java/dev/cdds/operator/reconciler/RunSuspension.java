package dev.cdds.operator.reconciler;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Starts or stops a run's Job through spec.suspend: the Job controller creates its pod once it is
 * false and deletes it when it becomes true.
 */
final class RunSuspension {
  private RunSuspension() {}

  /** The Job as patched. */
  static Job set(KubernetesClient client, Job job, boolean suspended) {
    // On the object itself: a patch by name makes the client read it first (RBAC: no get).
    return client
        .resource(job)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspended + "}}");
  }
}
