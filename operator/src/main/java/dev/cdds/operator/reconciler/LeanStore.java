package dev.cdds.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer's store without the objects' managedFields, for the kinds the operator never compares
 * by them: at thousands of jobs every byte of the cache is held for good.
 */
public class LeanStore<R extends HasMetadata> extends BasicItemStore<R> {
  public LeanStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R object) {
    object.getMetadata().setManagedFields(null);
    return super.put(key, object);
  }
}
