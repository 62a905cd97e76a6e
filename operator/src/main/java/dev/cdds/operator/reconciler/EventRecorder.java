package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on an ExportJob, as `kubectl describe ej` shows them. */
final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;

  EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void normal(ExportJob job, String reason, String message) {
    record(job, "Normal", reason, message);
  }

  void warning(ExportJob job, String reason, String message) {
    record(job, "Warning", reason, message);
  }

  private void record(ExportJob job, String type, String reason, String message) {
    String now = clock.instant().toString();
    var meta = job.getMetadata();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(meta.getName() + ".")
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(job.getApiVersion())
                    .withKind(job.getKind())
                    .withName(meta.getName())
                    .withNamespace(meta.getNamespace())
                    .withUid(meta.getUid())
                    .withResourceVersion(meta.getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withReportingComponent(ObjectLabels.OPERATOR)
            .withNewSource()
            .withComponent(ObjectLabels.OPERATOR)
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An Event is a courtesy: losing one must not fail the reconciliation.
      LOG.warn(
          "event not recorded exportjob={} namespace={} reason={} error={}",
          meta.getName(),
          meta.getNamespace(),
          reason,
          e.getMessage());
    }
  }
}
