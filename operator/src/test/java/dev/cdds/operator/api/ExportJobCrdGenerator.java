package dev.cdds.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Generates the ExportJob CRD from the Java model. What the generator's annotations can't say (the
 * printer-column order, the category, constraints on list items and timestamp formats) is set here,
 * in one place.
 */
public final class ExportJobCrdGenerator {
  /** The committed CRD, relative to the repository root. */
  public static final Path COMMITTED = Path.of("crds", "exportjobs.cdds.dev-v1.yml");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IDENTIFIER = "^[a-z][a-z0-9_-]{0,62}$";

  private ExportJobCrdGenerator() {}

  public static String generate() {
    var out = new ByteArrayOutputStream();
    new CRDGenerator()
        .customResourceClasses(ExportJob.class)
        .forCRDVersions("v1")
        .withPostProcessor(
            new CRDPostProcessor() {
              @Override
              public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                return customize((CustomResourceDefinition) crd);
              }
            })
        .withOutput(
            new CRDGenerator.AbstractCRDOutput<ByteArrayOutputStream>() {
              @Override
              protected ByteArrayOutputStream createStreamFor(String crdName) {
                return out;
              }
            })
        .generate();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static CustomResourceDefinition customize(CustomResourceDefinition crd) {
    crd.getSpec().getNames().setCategories(List.of("cdds"));
    var version = crd.getSpec().getVersions().get(0);
    version.setAdditionalPrinterColumns(printerColumns());

    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    declaredEnumOrder(root.getProperties().get("spec"), ExportJobSpec.class);
    declaredEnumOrder(root.getProperties().get("status"), ExportJobStatus.class);
    root.setDescription(
        "ExportJob exports contact-history or IWD data from the source database to files on a"
            + " PVC or in S3-compatible storage, once or on a schedule. The operator runs it as a"
            + " Kubernetes Job or CronJob and reports progress and a bounded run history in"
            + " status.");
    JSONSchemaProps spec = root.getProperties().get("spec");
    spec.setDescription(
        "What to export, when and where to: the job editor of the Jobs page. Only users and"
            + " their tools write it; the operator never does.");
    JSONSchemaProps source = spec.getProperties().get("source");
    for (String list : List.of("mediaTypes", "entityTypes")) {
      JSONSchemaProps items = source.getProperties().get(list).getItems().getSchema();
      items.setPattern(IDENTIFIER);
      items.setMaxLength(63L);
      source.getProperties().get(list).setXKubernetesListType("set");
    }
    dateTime(spec, "schedule", "startAt");
    dateTime(spec, "schedule", "endAt");
    dateTime(spec, "timeframe", "start");
    dateTime(spec, "timeframe", "end");
    JSONSchemaProps status = root.getProperties().get("status");
    status.setDescription(
        "What the operator and the export pods observed: state, conditions, the run in progress"
            + " and the history of finished runs. Read-only for users.");
    // A job the operator has not acted on yet reads as observedGeneration 0 < generation, so
    // kstatus (Flux, kubectl wait) and Argo CD say "in progress" instead of "current".
    status.setDefault(JSON.createObjectNode());
    status
        .getProperties()
        .get("observedGeneration")
        .setDefault(JSON.getNodeFactory().numberNode(0));
    dateTime(status, null, "lastStartedAt");
    dateTime(status, null, "nextStartsAt");
    dateTime(status, null, "exportedThrough");
    for (String field : List.of("scheduledAt", "startedAt", "estimatedCompletionAt")) {
      dateTime(status, "currentRun", field);
    }
    // One entry a partition: spec.output.parallelism's maximum.
    status
        .getProperties()
        .get("currentRun")
        .getProperties()
        .get("partitions")
        .setMaxProperties(32L);
    status
        .getProperties()
        .get("currentRun")
        .getProperties()
        .get("sharedSnapshot")
        .getProperties()
        .get("bounds")
        .getItems()
        .getSchema()
        .setFormat("date-time");
    for (String field : List.of("checkedAt", "deletedUpTo", "oldestKeptRun")) {
      dateTime(status, "retention", field);
    }
    JSONSchemaProps history = status.getProperties().get("history").getItems().getSchema();
    for (String field :
        List.of(
            "scheduledAt",
            "startedAt",
            "finishedAt",
            "windowStart",
            "windowEnd",
            "gapStart",
            "gapEnd")) {
      history.getProperties().get(field).setFormat("date-time");
    }
    JSONSchemaProps notifications = status.getProperties().get("notifications");
    JSONSchemaProps pending = notifications.getProperties().get("pending").getItems().getSchema();
    pending.getProperties().get("since").setFormat("date-time");
    pending.getProperties().get("nextAttemptAt").setFormat("date-time");
    notifications
        .getProperties()
        .get("last")
        .getItems()
        .getSchema()
        .getProperties()
        .get("at")
        .setFormat("date-time");
    JSONSchemaProps condition = status.getProperties().get("conditions").getItems().getSchema();
    condition.getProperties().get("lastTransitionTime").setFormat("date-time");
    status.getProperties().get("conditions").setXKubernetesListType("map");
    status.getProperties().get("conditions").setXKubernetesListMapKeys(List.of("type"));
    return crd;
  }

  /** Lists enum values in declaration order (Monday to Sunday), not sorted as generated. */
  private static void declaredEnumOrder(JSONSchemaProps schema, Class<?> type) {
    for (Field field : type.getFields()) {
      JSONSchemaProps property = schema.getProperties().get(field.getName());
      Class<?> fieldType = field.getType();
      if (List.class.isAssignableFrom(fieldType)) {
        fieldType =
            (Class<?>) ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
        property = property.getItems().getSchema();
      }
      if (fieldType.isEnum()) {
        property.setEnum(
            Arrays.stream(fieldType.getEnumConstants())
                .map(c -> (JsonNode) new TextNode(JSON.convertValue(c, String.class)))
                .toList());
      } else if (fieldType.getPackage() == ExportJob.class.getPackage()) {
        declaredEnumOrder(property, fieldType);
      }
    }
  }

  private static void dateTime(JSONSchemaProps parent, String object, String field) {
    JSONSchemaProps holder = object == null ? parent : parent.getProperties().get(object);
    holder.getProperties().get(field).setFormat("date-time");
  }

  /** The Jobs page's columns, in its order. */
  private static List<CustomResourceColumnDefinition> printerColumns() {
    return List.of(
        column("Title", ".spec.title", "string", "Title of the job."),
        column("Source", ".spec.source.system", "string", "ContactHistory or IWD."),
        column("Type", ".spec.source.type", "string", "Interaction, Contact or Event."),
        column("Run", ".spec.schedule.run", "string", "Once, Hourly, Daily, Weekly or Monthly."),
        column(
            "Latest Status",
            ".status.latestStatus",
            "string",
            "State of the latest run: Running, Succeeded, Failed, Missed, Queued..."),
        column("Progress", ".status.currentRun.progress", "integer", "Percent done of the run."),
        column("Active", ".status.activity", "string", "The slider: Active, Suspended or Ended."),
        column("Last Started", ".status.lastStartedAt", "date", "When the latest run started."),
        // A string, not a date: kubectl prints future dates as <invalid>.
        column("Next Starts", ".status.nextStartsAt", "string", "When the next run is due."),
        column("Age", ".metadata.creationTimestamp", "date", "Time since the job was created."));
  }

  private static CustomResourceColumnDefinition column(
      String name, String jsonPath, String type, String description) {
    return new CustomResourceColumnDefinitionBuilder()
        .withName(name)
        .withJsonPath(jsonPath)
        .withType(type)
        .withDescription(description)
        .build();
  }
}
