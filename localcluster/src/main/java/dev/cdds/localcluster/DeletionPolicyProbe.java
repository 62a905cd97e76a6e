package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A ValidatingAdmissionPolicy is enforced a moment after it is created, not when the create
 * returns. A test that deletes a running ExportJob right after the policy was (re)installed must
 * find it in force: this waits until a dry-run delete of an ExportJob with a run in progress is
 * refused. The probe is a one-time job far in the future, in namespace default, which no operator
 * of the tests watches.
 */
final class DeletionPolicyProbe {
  private static final String NAMESPACE = "default";
  private static final String NAME = "cdds-deletion-policy-probe";

  private DeletionPolicyProbe() {}

  static void awaitEnforced(KubernetesClient client) {
    var probe =
        client
            .genericKubernetesResources(ExportJobsApi.EXPORT_JOBS)
            .inNamespace(NAMESPACE)
            .withName(NAME);
    if (probe.get() == null) {
      var job = new GenericKubernetesResource();
      job.setApiVersion("cdds.dev/v1alpha1");
      job.setKind("ExportJob");
      job.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(NAME).build());
      job.setAdditionalProperty(
          "spec",
          Map.of(
              "title", "deletion policy probe",
              "source", Map.of("system", "ContactHistory", "type", "Contact"),
              "schedule", Map.of("run", "Once", "startAt", "2099-01-01T00:00:00Z")));
      client
          .genericKubernetesResources(ExportJobsApi.EXPORT_JOBS)
          .inNamespace(NAMESPACE)
          .resource(job)
          .create();
      probe.editStatus(
          j -> {
            j.setAdditionalProperty(
                "status",
                Map.of(
                    "currentRun",
                    Map.of("id", NAME + "-4102444800", "scheduledAt", "2099-01-01T00:00:00Z")));
            return j;
          });
    }
    Awaitility.await("the deletion policy enforced")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> refused(probe));
  }

  private static boolean refused(
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> probe) {
    try {
      probe.dryRun().delete();
      return false;
    } catch (KubernetesClientException e) {
      return e.getCode() == 403 || e.getCode() == 422;
    }
  }
}
