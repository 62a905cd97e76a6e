package dev.cdds.operator.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Weekday;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the dashboard's buttons do, with the person's own credentials: the same requests as the
 * commands of {@code kubectl cdds}, and the API server's answer as the outcome, refusals included.
 */
final class DashboardActions {
  /** The form's fields of spec.schedule, named as there. */
  private static final List<String> SCHEDULE_FIELDS =
      List.of(
          "run", "startAt", "everyHours", "minute", "time", "dayOfWeek", "dayOfMonth", "timeZone");

  /** The Add and Edit forms' fields: an API server's message about one goes next to it. */
  private static final List<String> FIELDS =
      Stream.of(
              List.of("name", "title", "type"), SCHEDULE_FIELDS, List.of("format", "fileSplitSize"))
          .flatMap(List::stream)
          .toList();

  // Null values stay: in a merge patch they remove a field the form left empty.
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  DashboardActions(KubernetesClient client) {
    this.client = client;
  }

  /** The slider: what {@code kubectl cdds suspend} or {@code resume} does. */
  String setSuspended(String namespace, String name, boolean suspend) {
    ExportJob job = ExportJobLookup.get(client, namespace, name);
    ExportJobLookup.named(client, namespace, name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), SetSuspendCommand.patch(job, suspend));
    return name + (suspend ? " suspended" : " resumed");
  }

  String runNow(String namespace, String name) {
    String run =
        ManualRun.start(client, ExportJobLookup.get(client, namespace, name), Map.of(), List.of());
    return "run " + run + " of " + name + " started";
  }

  String delete(String namespace, String name) {
    ExportJobLookup.get(client, namespace, name);
    ExportJobLookup.named(client, namespace, name).delete();
    return name + " deleted";
  }

  String copy(String namespace, String source, Map<String, String> form) {
    String name = required(form, "name", "the copy's name");
    ExportJob copy =
        CloneCommand.copyOf(
            ExportJobLookup.get(client, namespace, source),
            name,
            form.get("title"),
            form.containsKey("suspend"),
            form.get("start"),
            form.get("end"),
            null);
    client.resources(ExportJob.class).inNamespace(namespace).resource(copy).create();
    return name + " created (clone of " + source + ")";
  }

  /**
   * Creates the job the Add form describes; the messages by field when the form or the API server
   * refuses it ({@code ""}: not about one field).
   */
  Map<String, String> create(String namespace, Map<String, String> form) {
    Map<String, String> errors = new LinkedHashMap<>();
    var create = new CreateCommand();
    create.name = form.get("name");
    create.title = form.get("title");
    create.type = parsed(form, "type", SourceType::valueOf, errors);
    create.system = create.type == SourceType.Event ? "IWD" : "ContactHistory";
    create.run = parsed(form, "run", RunMode::valueOf, errors);
    create.startAt = form.get("startAt");
    create.everyHours = parsed(form, "everyHours", Integer::valueOf, errors);
    create.minute = parsed(form, "minute", Integer::valueOf, errors);
    create.time = form.get("time");
    create.dayOfWeek = parsed(form, "dayOfWeek", Weekday::valueOf, errors);
    create.dayOfMonth = parsed(form, "dayOfMonth", Integer::valueOf, errors);
    create.timeZone = form.get("timeZone");
    create.format = form.get("format");
    create.fileSplitSize = form.get("fileSplitSize");
    if (create.name == null) {
      errors.put("name", "a name is required: lower-case letters, digits and -");
    }
    if (!errors.isEmpty()) {
      return errors;
    }
    var job = new ExportJob();
    job.getMetadata().setName(create.name);
    try {
      job.setSpec(create.spec());
      client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
    } catch (KubernetesClientException e) {
      return byField(e);
    } catch (IllegalArgumentException e) {
      errors.put("", e.getMessage());
    }
    return errors;
  }

  /** The Edit form's values: the job's own. */
  static Map<String, String> values(ExportJob job) {
    var spec = job.getSpec();
    var schedule = spec.schedule;
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", job.getMetadata().getName());
    values.put("title", spec.title);
    values.put("type", spec.source.type);
    values.put("run", schedule.run);
    values.put("startAt", schedule.startAt);
    values.put("everyHours", schedule.everyHours);
    values.put("minute", schedule.minute);
    values.put("time", schedule.time);
    values.put("dayOfWeek", schedule.dayOfWeek);
    values.put("dayOfMonth", schedule.dayOfMonth);
    values.put("timeZone", schedule.timeZone);
    if (spec.output != null) {
      values.put(
          "format", spec.output.format == null ? null : spec.output.format.name().toLowerCase());
      values.put("fileSplitSize", spec.output.fileSplitSize);
    }
    Map<String, String> shown = new LinkedHashMap<>();
    values.forEach(
        (field, value) -> {
          if (value != null) {
            shown.put(field, value.toString());
          }
        });
    return shown;
  }

  /**
   * Changes the fields of the Edit form in the job's spec, by a merge patch (a field left empty is
   * removed, every other field of the spec stays); the messages by field when refused.
   */
  Map<String, String> edit(String namespace, String name, Map<String, String> form) {
    Map<String, Object> schedule = new LinkedHashMap<>();
    for (String field : SCHEDULE_FIELDS) {
      schedule.put(field, number(form.get(field)));
    }
    String type = form.get("type");
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("type", type);
    source.put("system", "Event".equals(type) ? "IWD" : "ContactHistory");
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("format", form.get("format"));
    output.put("fileSplitSize", form.get("fileSplitSize"));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("title", form.get("title"));
    spec.put("source", source);
    spec.put("schedule", schedule);
    spec.put("output", output);
    try {
      ExportJobLookup.named(client, namespace, name)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(Map.of("spec", spec)));
      return Map.of();
    } catch (KubernetesClientException e) {
      return byField(e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A form's value as JSON has it: numbers as numbers. */
  private static Object number(String value) {
    return value != null && value.matches("\\d{1,9}") ? Integer.valueOf(value) : value;
  }

  /** The API server's causes, each under the form field its path ends with. */
  private static Map<String, String> byField(KubernetesClientException e) {
    Map<String, String> errors = new LinkedHashMap<>();
    List<StatusCause> causes =
        Optional.ofNullable(e.getStatus())
            .flatMap(s -> Optional.ofNullable(s.getDetails()))
            .map(d -> d.getCauses())
            .orElse(List.of());
    for (StatusCause cause : causes) {
      String field = cause.getField() == null ? "" : cause.getField();
      String last = field.substring(field.lastIndexOf('.') + 1);
      String key = FIELDS.contains(last) ? last : "";
      String message =
          key.isEmpty() && !field.isEmpty()
              ? field + ": " + cause.getMessage()
              : cause.getMessage();
      errors.merge(key, message, (a, b) -> a + "; " + b);
    }
    if (errors.isEmpty()) {
      errors.put("", KubectlCdds.message(e));
    }
    return errors;
  }

  private static <T> T parsed(
      Map<String, String> form,
      String field,
      Function<String, T> parse,
      Map<String, String> errors) {
    String value = form.get(field);
    if (value == null) {
      return null;
    }
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      errors.put(field, "not a valid value: " + value);
      return null;
    }
  }

  private static String required(Map<String, String> form, String field, String what) {
    String value = form.get(field);
    if (value == null) {
      throw new IllegalArgumentException(what + " is required");
    }
    return value;
  }
}
