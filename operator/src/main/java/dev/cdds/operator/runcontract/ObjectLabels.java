package dev.cdds.operator.runcontract;

import dev.cdds.operator.api.ExportJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** Labels on everything the operator creates for an ExportJob. */
public final class ObjectLabels {
  public static final String EXPORT_JOB = "cdds.dev/exportjob";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "cdds-operator";

  /** Annotation of a Job started by hand ({@code kubectl cdds run}), not by the schedule. */
  public static final String MANUAL_RUN = "cdds.dev/manual";

  /**
   * Annotation of an ExportJob set by {@code kubectl cdds resume}: when it was resumed; failed runs
   * that ended before it no longer count toward spec.suspendAfterFailures.
   */
  public static final String RESUMED_AT = "cdds.dev/resumed-at";

  /** Annotation of the Job a recurring job runs on creation (spec.schedule.startImmediately). */
  public static final String IMMEDIATE_RUN = "cdds.dev/immediate";

  /** Annotation of a Job started by {@code kubectl cdds rerun}: the id of the run it repeats. */
  public static final String RERUN_OF = "cdds.dev/rerun-of";

  /** Component label of the Jobs that delete expired runs; the others run exports. */
  public static final String PRUNE = "prune";

  /** Selects what this operator manages, for its informers. */
  public static final String SELECTOR = MANAGED_BY + "=" + OPERATOR;

  private ObjectLabels() {}

  public static boolean isPrune(HasMetadata object) {
    return PRUNE.equals(object.getMetadata().getLabels().get("app.kubernetes.io/component"));
  }

  public static Map<String, String> of(ExportJob job, String component) {
    return Map.of(
        "app.kubernetes.io/name",
        "cdds-export",
        "app.kubernetes.io/instance",
        job.getMetadata().getName(),
        "app.kubernetes.io/component",
        component,
        "app.kubernetes.io/part-of",
        "cdds",
        MANAGED_BY,
        OPERATOR,
        EXPORT_JOB,
        job.getMetadata().getName());
  }
}
