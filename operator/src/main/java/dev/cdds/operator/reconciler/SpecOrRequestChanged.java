package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.runcontract.RunDeletionRequest;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which updates of an ExportJob call for a reconciliation: a new spec (generation), deletion or
 * finalizers, and what a person asks through an annotation: {@code kubectl cdds resume} of a job
 * suspended after failures, {@code kubectl cdds files delete}. Status writes, the operator's and
 * the export pods' progress, do not.
 */
public final class SpecOrRequestChanged implements OnUpdateFilter<ExportJob> {
  @Override
  public boolean accept(ExportJob updated, ExportJob old) {
    var now = updated.getMetadata();
    var before = old.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || updated.isMarkedForDeletion() != old.isMarkedForDeletion()
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || changed(ObjectLabels.RESUMED_AT, now.getAnnotations(), before.getAnnotations())
        || changed(RunDeletionRequest.ANNOTATION, now.getAnnotations(), before.getAnnotations());
  }

  private static boolean changed(
      String annotation, Map<String, String> now, Map<String, String> before) {
    return !Objects.equals(value(annotation, now), value(annotation, before));
  }

  private static Optional<String> value(String annotation, Map<String, String> annotations) {
    return Optional.ofNullable(annotations).map(a -> a.get(annotation));
  }
}
