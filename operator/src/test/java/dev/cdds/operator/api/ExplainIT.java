package dev.cdds.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.Kubectl;
import dev.cdds.operator.testing.ControlPlaneExtension;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** `kubectl explain` documents every field of the ExportJob. */
@ExtendWith(ControlPlaneExtension.class)
class ExplainIT {
  private final ControlPlane controlPlane;

  ExplainIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @BeforeEach
  void crdPublishedInOpenApi() throws Exception {
    controlPlane.installCrds();
    var kubectl = new Kubectl(controlPlane);
    // The OpenAPI document explain reads is published shortly after the CRD is Established;
    // nothing can be watched for it.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> kubectl.run("explain", "exportjobs").exitCode() == 0);
  }

  @Test
  void everyFieldHasADescription() throws Exception {
    JSONSchemaProps root =
        controlPlane
            .client()
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("exportjobs.cdds.dev")
            .get()
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema();
    List<String> paths = new ArrayList<>();
    collect(root.getProperties().get("spec"), "spec", paths);
    collect(root.getProperties().get("status"), "status", paths);
    assertThat(paths).hasSizeGreaterThan(60);

    var kubectl = new Kubectl(controlPlane);
    Map<String, String> undocumented = new ConcurrentHashMap<>();
    paths.parallelStream()
        .forEach(
            path -> {
              try {
                var explained = kubectl.run("explain", "exportjobs." + path);
                String description =
                    explained.stdout().replaceFirst("(?s).*DESCRIPTION:\\s*", "").trim();
                if (explained.exitCode() != 0
                    || description.isEmpty()
                    || description.startsWith("<empty>")) {
                  undocumented.put(path, explained.stdout() + explained.stderr());
                }
              } catch (Exception e) {
                undocumented.put(path, e.toString());
              }
            });

    assertThat(undocumented).isEmpty();
  }

  @Test
  void explainShowsTheScheduleRules() throws Exception {
    var explained = new Kubectl(controlPlane).run("explain", "ej.spec.schedule.dayOfMonth");

    assertThat(explained.stdout().replaceAll("\\s+", " "))
        .contains("A month without that day has no run");
  }

  private static void collect(JSONSchemaProps schema, String path, List<String> paths) {
    paths.add(path);
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> collect(child, path + "." + name, paths));
    }
    if (schema.getItems() != null && schema.getItems().getSchema().getProperties() != null) {
      schema
          .getItems()
          .getSchema()
          .getProperties()
          .forEach((name, child) -> collect(child, path + "." + name, paths));
    }
  }
}
