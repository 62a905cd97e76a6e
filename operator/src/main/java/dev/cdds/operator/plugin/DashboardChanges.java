package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Optional;

/**
 * Tells the open pages that an ExportJob changed, through a watch (an informer) of the jobs shown:
 * each page then fetches its rows again. A counter, so that a page waiting for a change sees one
 * that happened while it fetched.
 */
final class DashboardChanges implements AutoCloseable {
  private final SharedIndexInformer<ExportJob> informer;
  private long version;

  DashboardChanges(KubernetesClient client, Optional<String> namespace) {
    var resources = client.resources(ExportJob.class);
    ResourceEventHandler<ExportJob> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ExportJob job) {
            changed();
          }

          @Override
          public void onUpdate(ExportJob before, ExportJob after) {
            changed();
          }

          @Override
          public void onDelete(ExportJob job, boolean deletedFinalStateUnknown) {
            changed();
          }
        };
    informer =
        namespace.isPresent()
            ? resources.inNamespace(namespace.get()).inform(handler)
            : resources.inAnyNamespace().inform(handler);
  }

  private synchronized void changed() {
    version++;
    notifyAll();
  }

  /** The number of changes seen so far. */
  synchronized long version() {
    return version;
  }

  /** Waits up to {@code millis} for a change after {@code seen}; the version then. */
  synchronized long awaitChangeAfter(long seen, long millis) throws InterruptedException {
    long until = System.currentTimeMillis() + millis;
    while (version == seen) {
      long left = until - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    return version;
  }

  @Override
  public void close() {
    informer.close();
  }
}
