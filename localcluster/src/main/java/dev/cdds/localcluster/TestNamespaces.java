package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/** A fresh namespace per test, so tests share the control plane but not their objects. */
public final class TestNamespaces {
  private TestNamespaces() {}

  public static String create(KubernetesClient client, String prefix) {
    var namespace =
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withGenerateName(prefix + "-")
                    .endMetadata()
                    .build())
            .create();
    String name = namespace.getMetadata().getName();
    // Pods run as the namespace's default ServiceAccount, which the controller-manager creates.
    client
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
    return name;
  }
}
