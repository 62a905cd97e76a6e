package dev.cdds.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.operator.testing.ControlPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * etcd refuses objects over about 1.5 MiB; the status with every field at the longest the served
 * schema allows (generated from the schema, so a new field is included by itself, and a field the
 * schema leaves unbounded fails here) stays under 256 KiB and is accepted by the API server.
 */
@ExtendWith(ControlPlaneExtension.class)
class StatusSizeIT {
  static final int LIMIT_BYTES = 256 * 1024;
  private static final String TIME = "2026-12-31T23:59:59.999999999+14:00";
  private static final Pattern ALTERNATIVES = Pattern.compile("\\^\\(([^()]+)\\)\\$");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ResourceDefinitionContext EXPORT_JOBS =
      ResourceDefinitionContext.fromResourceType(ExportJob.class);

  private final ControlPlane controlPlane;

  StatusSizeIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void worstCaseStatusFitsAndIsAccepted() throws Exception {
    controlPlane.installCrds();
    var client = controlPlane.client();
    String namespace = TestNamespaces.create(client, "status-size");
    var job = new ExportJob();
    job.getMetadata().setName("worst-case");
    job.setSpec(new ExportJobSpec());
    job.getSpec().title = "t".repeat(128);
    job.getSpec().historyLimit = 100;
    job.getSpec().source = new Source();
    job.getSpec().source.system = "ContactHistory";
    job.getSpec().source.type = SourceType.Interaction;
    job.getSpec().schedule = new Schedule();
    job.getSpec().schedule.run = RunMode.Hourly;
    job.getSpec().schedule.everyHours = 1;
    job.getSpec().schedule.minute = 0;
    client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
    JSONSchemaProps schema =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("exportjobs.cdds.dev")
            .get()
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("status");

    JsonNode status = longest(schema, "status", 0);
    int bytes = new ObjectMapper().writeValueAsBytes(status).length;
    var resource =
        client
            .genericKubernetesResources(EXPORT_JOBS)
            .inNamespace(namespace)
            .withName("worst-case");
    GenericKubernetesResource stored =
        resource.editStatus(
            j -> {
              j.setAdditionalProperty("status", new ObjectMapper().convertValue(status, Map.class));
              return j;
            });

    assertThat(bytes).isLessThan(LIMIT_BYTES);
    JsonNode served =
        new ObjectMapper().valueToTree(stored.getAdditionalProperties().get("status"));
    assertThat(served.path("history").size()).isEqualTo(status.path("history").size());
    assertThat(served.path("conditions").size()).isEqualTo(status.path("conditions").size());
    assertThat(new ObjectMapper().writeValueAsBytes(served).length)
        .as("stored as large as sent: nothing pruned")
        .isGreaterThanOrEqualTo(bytes - 1024);
    System.out.printf("worst-case status: %d bytes%n", bytes);
  }

  /** The longest value {@code schema} allows; {@code index} makes list-map keys unique. */
  private static JsonNode longest(JSONSchemaProps schema, String path, int index) {
    switch (schema.getType()) {
      case "object" -> {
        ObjectNode object = NODES.objectNode();
        if (schema.getAdditionalProperties() != null
            && schema.getAdditionalProperties().getSchema() != null) {
          if (schema.getMaxProperties() == null) {
            fail(path + " has no maxProperties: the status could grow without bound");
          }
          for (int i = 0; i < schema.getMaxProperties(); i++) {
            object.set(
                String.valueOf(i),
                longest(schema.getAdditionalProperties().getSchema(), path + "{}", i));
          }
          return object;
        }
        schema
            .getProperties()
            .forEach(
                (name, property) -> object.set(name, longest(property, path + "." + name, index)));
        return object;
      }
      case "array" -> {
        if (schema.getMaxItems() == null) {
          fail(path + " has no maxItems: the status could grow without bound");
        }
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < schema.getMaxItems(); i++) {
          array.add(longest(schema.getItems().getSchema(), path + "[]", i));
        }
        return array;
      }
      case "integer" -> {
        return schema.getMaximum() != null
            ? NODES.numberNode(schema.getMaximum().longValue())
            : NODES.numberNode(Long.MAX_VALUE);
      }
      case "boolean" -> {
        return NODES.booleanNode(true);
      }
      case "string" -> {
        return NODES.textNode(longestString(schema, path, index));
      }
      default -> throw new IllegalStateException(path + ": type " + schema.getType());
    }
  }

  private static String longestString(JSONSchemaProps schema, String path, int index) {
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      return schema.getEnum().stream()
          .map(JsonNode::asText)
          .max(Comparator.comparingInt(String::length))
          .orElseThrow();
    }
    if ("date-time".equals(schema.getFormat())) {
      return TIME;
    }
    if (schema.getMaxLength() != null) {
      String prefix = index + "-";
      return prefix + "x".repeat(schema.getMaxLength().intValue() - prefix.length());
    }
    var alternatives =
        schema.getPattern() == null ? null : ALTERNATIVES.matcher(schema.getPattern());
    if (alternatives != null && alternatives.matches()) {
      return Pattern.compile("\\|")
          .splitAsStream(alternatives.group(1))
          .max(Comparator.comparingInt(String::length))
          .orElseThrow();
    }
    return fail(path + " is a string without maxLength, format or enum: its size is unbounded");
  }
}
