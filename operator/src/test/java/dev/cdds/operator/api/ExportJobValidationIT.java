package dev.cdds.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.operator.testing.ControlPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API server refuses every bad ExportJob with a message that names the field. */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportJobValidationIT {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final ControlPlane controlPlane;
  private String namespace;

  ExportJobValidationIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.client();
  }

  @BeforeAll
  void install() throws IOException {
    controlPlane.installCrds();
    namespace = TestNamespaces.create(client, "validation");
  }

  @Test
  void baseOfTheInvalidCasesIsValid() throws IOException {
    GenericKubernetesResource created = create(table().get("base").deepCopy());

    assertThat(created.getMetadata().getUid()).isNotEmpty();
    client.resource(created).delete();
  }

  @Test
  void theEdgeValuesTheServerAcceptsAreValuesTheOperatorReads() throws IOException {
    JsonNode object =
        mergePatch(
            table().get("base").deepCopy(),
            YAML.readTree(
                """
                spec:
                  schedule: {run: Once, time: null, startAt: "2027-01-01T00:00:00.123456789+01:00"}
                  timeframe:
                    type: FixedInterval
                    start: "2026-01-01T00:00:00.000000001Z"
                    end: "2026-02-01T00:00:00-05:00"
                  output: {fileSplitSize: 1.5Gi, maxRecordSize: "1048577"}
                """));
    ExportJob job = JSON.convertValue(create(object), ExportJob.class);

    assertThat(Instant.parse(job.getSpec().schedule.startAt))
        .isEqualTo("2026-12-31T23:00:00.123456789Z");
    assertThat(Instant.parse(job.getSpec().timeframe.start))
        .isEqualTo("2026-01-01T00:00:00.000000001Z");
    assertThat(Instant.parse(job.getSpec().timeframe.end)).isEqualTo("2026-02-01T05:00:00Z");
    assertThat(job.getSpec().output.fileSplitSize.getNumericalAmount().longValueExact())
        .isEqualTo(1_610_612_736L);
    assertThat(job.getSpec().output.maxRecordSize.getNumericalAmount().longValueExact())
        .isEqualTo(1_048_577L);
    client.resource(job).delete();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void rejectsWithAMessageNamingTheField(
      String name, JsonNode object, int code, String field, String message) {
    var error = catchThrowableOfType(KubernetesClientException.class, () -> create(object));

    assertThat(error).as("the server accepted it").isNotNull();
    assertThat(error.getCode()).isEqualTo(code);
    assertThat(error.getStatus().getMessage()).contains(field).contains(message);
  }

  Stream<Arguments> invalidCases() throws IOException {
    JsonNode table = table();
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : table.get("cases")) {
      JsonNode object = mergePatch(table.get("base").deepCopy(), expandRepeats(c.get("set")));
      cases.add(
          Arguments.of(
              c.get("name").asText(),
              object,
              c.path("code").asInt(422),
              c.get("field").asText(),
              c.get("message").asText()));
    }
    return cases.stream();
  }

  private GenericKubernetesResource create(JsonNode object) {
    var resource = JSON.convertValue(object, GenericKubernetesResource.class);
    return client
        .resource(resource)
        .inNamespace(namespace)
        .fieldValidation(Validation.STRICT)
        .create();
  }

  private static JsonNode table() throws IOException {
    try (InputStream in =
        ExportJobValidationIT.class.getResourceAsStream("/api/invalid-exportjobs.yaml")) {
      return YAML.readTree(in);
    }
  }

  /** RFC 7386 JSON merge patch: objects merge, null removes, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        JsonNode current = result.get(field.getKey());
        result.set(
            field.getKey(),
            mergePatch(current == null ? JSON.nullNode() : current, field.getValue()));
      }
    }
    return result;
  }

  private static JsonNode expandRepeats(JsonNode node) {
    if (node.isTextual() && node.asText().startsWith("@repeat:")) {
      String[] parts = node.asText().split(":", 3);
      return new TextNode(parts[2].repeat(Integer.parseInt(parts[1])));
    }
    if (node.isTextual() && node.asText().startsWith("@nest:")) {
      String[] parts = node.asText().split(":", 3);
      JsonNode nested = new TextNode(parts[2]);
      for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
        ObjectNode level = JSON.createObjectNode();
        level.set("n", nested);
        nested = level;
      }
      return nested;
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      node.fields().forEachRemaining(f -> copy.set(f.getKey(), expandRepeats(f.getValue())));
      return copy;
    }
    if (node.isArray()) {
      var copy = JSON.createArrayNode();
      node.forEach(item -> copy.add(expandRepeats(item)));
      return copy;
    }
    return node;
  }
}
