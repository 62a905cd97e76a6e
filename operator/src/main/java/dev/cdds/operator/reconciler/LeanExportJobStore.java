package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The informer's store of ExportJobs, without their managedFields: the operator never reads them on
 * its primary resource (its status writes are merge patches), and at 5,000 jobs every byte of the
 * cache is held for good.
 */
public final class LeanExportJobStore extends BasicItemStore<ExportJob> {
  public LeanExportJobStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public ExportJob put(String key, ExportJob job) {
    job.getMetadata().setManagedFields(null);
    return super.put(key, job);
  }
}
