package dev.cdds.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Writes docs/api.md from the generated CRD: one table row per field, rules listed below. */
public final class ApiReferenceGenerator {
  public static final Path COMMITTED = Path.of("docs", "api.md");

  private ApiReferenceGenerator() {}

  public static String generate(String crdYaml) {
    var crd = Serialization.unmarshal(crdYaml, CustomResourceDefinition.class);
    var version = crd.getSpec().getVersions().get(0);
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    var out = new StringBuilder();
    out.append("# ExportJob API reference (")
        .append(crd.getSpec().getGroup())
        .append('/')
        .append(version.getName())
        .append(")\n\n")
        .append("<!-- Generated from the Java model by hack/generate.sh; do not edit. -->\n\n")
        .append(root.getDescription())
        .append("\n\nKind `")
        .append(crd.getSpec().getNames().getKind())
        .append("`, plural `")
        .append(crd.getSpec().getNames().getPlural())
        .append("`, short name `")
        .append(String.join("`, `", crd.getSpec().getNames().getShortNames()))
        .append("`, category `")
        .append(String.join("`, `", crd.getSpec().getNames().getCategories()))
        .append("`, namespaced.\n\n## `kubectl get ej` columns\n\n| column | field |\n|---|---|\n");
    version
        .getAdditionalPrinterColumns()
        .forEach(
            c ->
                out.append("| ")
                    .append(c.getName())
                    .append(" | `")
                    .append(c.getJsonPath())
                    .append("` |\n"));
    for (String part : List.of("spec", "status")) {
      JSONSchemaProps schema = root.getProperties().get(part);
      out.append("\n## ")
          .append(part)
          .append("\n\n")
          .append(schema.getDescription())
          .append("\n\n");
      out.append("| field | type | default | constraints | description |\n|---|---|---|---|---|\n");
      List<String> rules = new ArrayList<>();
      rows(schema, part, out, rules);
      if (!rules.isEmpty()) {
        out.append("\n### Rules checked by the API server\n\n");
        rules.forEach(r -> out.append("- ").append(r).append('\n'));
      }
    }
    out.append("\n## Rules on the whole object\n\n");
    root.getXKubernetesValidations()
        .forEach(r -> out.append("- ").append(rule("", r)).append('\n'));
    out.append(CONDITIONS);
    return out.toString();
  }

  /** What each condition means, and how the Jobs page's states read in GitOps tools. */
  private static final String CONDITIONS =
      """

      ## Conditions

      | type | True when | reasons |
      |---|---|---|
      | `Ready` | the job can run: its Secrets, destination, certificate and time zone are in place | `Ready`; when False the problem, such as `SourceSecretMissing`, `DestinationClaimMissing`, `InvalidEncryptionCertificate`, `InvalidTimeZone`, `OneTimeJobChangedAfterStart` |
      | `Running` | a run is in progress | `RunInProgress`, `Idle` |
      | `Suspended` | no new run starts | `SuspendedBySpec`, `SuspendedAfterFailures`, `OneTimeJobStarted`; `Active` when False |
      | `GapDetected` | a window was not exported (a catch-up longer than `timeframe.maxCatchUp`) | `WindowNotExported`, `NoGap` |
      | `Ended` | a recurring job is past `spec.schedule.endAt` (present only with an `endAt`) | `EndAtPassed`, `BeforeEndAt` |
      | `Retention` | expired runs are deleted as `spec.output.retentionDays` says (False: the last prune failed and is retried) | `UpToDate`, `KeptForever`; `PruneFailed` when False |
      | `Reconciling` | a queued run is re-checked for its turn (kstatus: in progress) | `RunQueued`; `Reconciled` when False |
      | `Stalled` | nothing proceeds without a person (kstatus: failed): `Ready` is False, or the job was suspended after failures | the `Ready` reason, or `SuspendedAfterFailures`; `CanProceed` when False |

      Every condition carries the `observedGeneration` it was computed from;
      `status.observedGeneration` is 0 until the operator has acted on the job. How each state of
      the Jobs page reads in kstatus (Flux, `kubectl wait`) and in Argo CD's health check:
      [gitops.md](gitops.md).
      """;

  private static void rows(
      JSONSchemaProps schema, String path, StringBuilder out, List<String> rules) {
    if (schema.getXKubernetesValidations() != null) {
      schema.getXKubernetesValidations().forEach(r -> rules.add(rule(path, r)));
    }
    if (schema.getProperties() == null) {
      return;
    }
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    schema
        .getProperties()
        .forEach(
            (name, field) -> {
              String fieldPath = path + "." + name;
              JSONSchemaProps items =
                  field.getItems() == null ? null : field.getItems().getSchema();
              out.append("| `")
                  .append(fieldPath)
                  .append(required.contains(name) ? "` (required)" : "`")
                  .append(" | ")
                  .append(type(field, items))
                  .append(" | ")
                  .append(field.getDefault() == null ? "" : "`" + field.getDefault() + "`")
                  .append(" | ")
                  .append(constraints(field, items))
                  .append(" | ")
                  .append(field.getDescription().replace("|", "\\|"))
                  .append(" |\n");
              rows(field, fieldPath, out, rules);
              if (items != null) {
                rows(items, fieldPath + "[]", out, rules);
              }
            });
  }

  private static String type(JSONSchemaProps field, JSONSchemaProps items) {
    if (Boolean.TRUE.equals(field.getXKubernetesIntOrString())) {
      return "quantity";
    }
    String type =
        field.getType() + (field.getFormat() == null ? "" : " (" + field.getFormat() + ")");
    return items == null ? type : "list of " + items.getType();
  }

  private static String constraints(JSONSchemaProps field, JSONSchemaProps items) {
    List<String> parts = new ArrayList<>();
    for (JSONSchemaProps s : items == null ? List.of(field) : List.of(field, items)) {
      String prefix = s == items ? "each " : "";
      if (s.getEnum() != null && !s.getEnum().isEmpty()) {
        parts.add(
            prefix
                + "one of "
                + s.getEnum().stream()
                    .map(e -> "`" + e.asText() + "`")
                    .collect(Collectors.joining(", ")));
      }
      if (s.getMinimum() != null) {
        parts.add(prefix + "≥ " + s.getMinimum().longValue());
      }
      if (s.getMaximum() != null) {
        parts.add(prefix + "≤ " + s.getMaximum().longValue());
      }
      if (s.getMinLength() != null) {
        parts.add(prefix + "length ≥ " + s.getMinLength());
      }
      if (s.getMaxLength() != null) {
        parts.add(prefix + "length ≤ " + s.getMaxLength());
      }
      if (s.getMaxItems() != null) {
        parts.add("at most " + s.getMaxItems() + " items");
      }
      if (s.getPattern() != null) {
        parts.add(prefix + "matches `" + s.getPattern().replace("|", "\\|") + "`");
      }
      if ("set".equals(s.getXKubernetesListType())) {
        parts.add("no duplicates");
      }
    }
    return String.join("; ", parts);
  }

  private static String rule(String path, ValidationRule rule) {
    String field = rule.getFieldPath() == null ? path : path + rule.getFieldPath();
    return (field.isEmpty() ? "" : "`" + field + "`: ")
        + rule.getMessage()
        + " (`"
        + rule.getRule().replace("|", "\\|")
        + "`)";
  }
}
