package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/** Finding one ExportJob by name, with a clear message when there is none. */
final class ExportJobLookup {
  private ExportJobLookup() {}

  static Resource<ExportJob> named(KubernetesClient client, String namespace, String name) {
    return client.resources(ExportJob.class).inNamespace(namespace).withName(name);
  }

  static ExportJob get(KubernetesClient client, String namespace, String name) {
    ExportJob job = named(client, namespace, name).get();
    if (job == null) {
      throw new IllegalArgumentException(
          "exportjob " + name + " not found in namespace " + namespace);
    }
    return job;
  }

  /** The one namespace a command on named jobs works in ({@code -A} makes no sense there). */
  static String namespace(KubectlCdds parent, KubernetesClient client) {
    return parent
        .namespace(client)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--all-namespaces applies to list only: name a namespace with -n"));
  }
}
