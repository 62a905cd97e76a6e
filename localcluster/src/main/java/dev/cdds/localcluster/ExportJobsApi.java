package dev.cdds.localcluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The ExportJob resource as this module addresses it, untyped: it runs the product without
 * depending on the product's model.
 */
final class ExportJobsApi {
  static final ResourceDefinitionContext EXPORT_JOBS =
      new ResourceDefinitionContext.Builder()
          .withGroup("cdds.dev")
          .withVersion("v1alpha1")
          .withPlural("exportjobs")
          .withKind("ExportJob")
          .withNamespaced(true)
          .build();

  private ExportJobsApi() {}
}
