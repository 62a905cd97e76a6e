package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** The owner reference on everything made for an ExportJob, so it goes when the job goes. */
final class Owner {
  private Owner() {}

  static OwnerReference of(ExportJob job) {
    return new OwnerReferenceBuilder()
        .withApiVersion(job.getApiVersion())
        .withKind(job.getKind())
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .withController(true)
        .build();
  }
}
