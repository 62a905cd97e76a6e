package dev.cdds.operator.reconciler;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

/**
 * The CronJob cache without what the operator never reads of a CronJob: its managedFields and its
 * job template (the pod template, with the frozen spec of every export), which it compares by hash
 * instead ({@link AppliedCronJob}).
 */
public final class LeanCronJobStore extends LeanStore<CronJob> {
  @Override
  public CronJob put(String key, CronJob object) {
    if (object.getSpec() != null) {
      object.getSpec().setJobTemplate(null);
    }
    return super.put(key, object);
  }
}
