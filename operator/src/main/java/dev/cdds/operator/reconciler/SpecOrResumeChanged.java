package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which updates of an ExportJob call for a reconciliation: a new spec (generation), deletion or
 * finalizers, and {@code kubectl cdds resume} of a job suspended after failures, which changes only
 * an annotation. Status writes, the operator's and the export pods' progress, do not.
 */
public final class SpecOrResumeChanged implements OnUpdateFilter<ExportJob> {
  @Override
  public boolean accept(ExportJob updated, ExportJob old) {
    var now = updated.getMetadata();
    var before = old.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || updated.isMarkedForDeletion() != old.isMarkedForDeletion()
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || !Objects.equals(resumedAt(now.getAnnotations()), resumedAt(before.getAnnotations()));
  }

  private static Optional<String> resumedAt(Map<String, String> annotations) {
    return Optional.ofNullable(annotations).map(a -> a.get(ObjectLabels.RESUMED_AT));
  }
}
