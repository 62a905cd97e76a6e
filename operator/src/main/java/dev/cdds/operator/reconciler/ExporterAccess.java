package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.ObjectLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;

/**
 * The identity of an ExportJob's pods: a ServiceAccount that may read that one ExportJob (where its
 * last window ended) and patch its status, and nothing else. Owned by the ExportJob, so it goes
 * when the job goes.
 */
final class ExporterAccess {
  private ExporterAccess() {}

  /**
   * Whether {@code actual} is {@code desired} as far as this operator sets it: same kind and name,
   * its labels and owner, and the same rules or binding.
   */
  static boolean matches(HasMetadata desired, HasMetadata actual) {
    if (!desired.getKind().equals(actual.getKind())
        || !desired.getMetadata().getName().equals(actual.getMetadata().getName())
        || actual.getMetadata().getLabels() == null
        || !actual
            .getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(desired.getMetadata().getLabels().entrySet())
        || !desired
            .getMetadata()
            .getOwnerReferences()
            .equals(actual.getMetadata().getOwnerReferences())) {
      return false;
    }
    if (desired instanceof Role role) {
      return role.getRules().equals(((Role) actual).getRules());
    }
    if (desired instanceof RoleBinding binding) {
      return binding.getRoleRef().equals(((RoleBinding) actual).getRoleRef())
          && binding.getSubjects().equals(((RoleBinding) actual).getSubjects());
    }
    return true;
  }

  static String name(ExportJob job) {
    return "cdds-export-" + job.getMetadata().getName();
  }

  static List<HasMetadata> objects(ExportJob job) {
    String name = name(job);
    var labels = ObjectLabels.of(job, "export");
    var account =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .build();
    var role =
        new RoleBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .addNewRule()
            .withApiGroups(ExportJob.GROUP)
            .withResources("exportjobs/status")
            .withResourceNames(job.getMetadata().getName())
            .withVerbs("get", "patch")
            .endRule()
            .addNewRule()
            .withApiGroups(ExportJob.GROUP)
            .withResources("exportjobs")
            .withResourceNames(job.getMetadata().getName())
            .withVerbs("get")
            .endRule()
            .build();
    var binding =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(name)
            .withNamespace(job.getMetadata().getNamespace())
            .endSubject()
            .build();
    return List.of(account, role, binding);
  }
}
