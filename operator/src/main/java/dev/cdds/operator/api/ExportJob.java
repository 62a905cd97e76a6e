package dev.cdds.operator.api;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A scheduled or one-time export of contact-history or IWD data, the "job" of the Jobs page. */
@Group(ExportJob.GROUP)
@Version(ExportJob.VERSION)
@Kind("ExportJob")
@Plural("exportjobs")
@ShortNames("ej")
@ValidationRule(
    value = "size(self.metadata.name) <= 52",
    message =
        "metadata.name must be at most 52 characters: the CronJob and the Jobs that run the export"
            + " are named after it")
// Status is not part of the comparison: only the spec of a started one-time job is frozen.
@ValidationRule(
    value =
        "!has(oldSelf.status) || !has(oldSelf.status.lastStartedAt)"
            + " || oldSelf.spec.schedule.run != 'Once' || self.spec == oldSelf.spec",
    message =
        "one-time jobs can't be changed once started (status.lastStartedAt is set): create a"
            + " new ExportJob, for example with `kubectl cdds clone`",
    fieldPath = ".spec")
public class ExportJob extends CustomResource<ExportJobSpec, ExportJobStatus>
    implements Namespaced {
  public static final String GROUP = "cdds.dev";
  public static final String VERSION = "v1alpha1";
}
