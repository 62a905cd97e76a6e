package dev.cdds.operator.bench;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;

/** The namespace the benchmarks' ExportJobs live in, with the CRD, a source Secret and a claim. */
final class BenchNamespace {
  static final String NAME = "bench";

  private BenchNamespace() {}

  static void prepare(KubernetesClient client) throws IOException {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NAME).endMetadata().build())
        .serverSideApply();
    ControlPlane.installCrds(client);
    OperatorUnderTest.prepareNamespace(client, NAME);
  }
}
