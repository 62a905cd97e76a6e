package dev.cdds.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.Kubectl;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.operator.testing.ControlPlaneExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every manifest in examples/ is accepted as is, and `kubectl get ej` reads like the Jobs page. */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesIT {
  private static final Path EXAMPLES = Path.of("..", "examples");

  private final ControlPlane controlPlane;
  private final Kubectl kubectl;
  private String namespace;

  ExamplesIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.kubectl = new Kubectl(controlPlane);
  }

  @BeforeAll
  void applyExamples() throws IOException, InterruptedException {
    controlPlane.installCrds();
    namespace = TestNamespaces.create(controlPlane.client(), "examples");
    var applied = kubectl.run("apply", "-n", namespace, "-f", EXAMPLES.toString());
    assertThat(applied.stderr()).isEmpty();
    assertThat(applied.exitCode()).isZero();
  }

  @Test
  void everyExampleIsCreated() throws IOException {
    List<String> names;
    try (var files = Files.list(EXAMPLES)) {
      names =
          files
              .filter(f -> f.toString().endsWith(".yaml"))
              .map(f -> f.getFileName().toString().replace(".yaml", ""))
              .toList();
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(10);

    var stored =
        controlPlane.client().resources(ExportJob.class).inNamespace(namespace).list().getItems();

    assertThat(stored)
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(names);
  }

  @Test
  void everyExampleSaysWhatItDoes() throws IOException {
    try (var files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).startsWith("# ");
      }
    }
  }

  @Test
  void defaultsAreFilledInByTheServer() {
    var job =
        controlPlane
            .client()
            .resources(ExportJob.class)
            .inNamespace(namespace)
            .withName("hourly-every-4h-at-15")
            .get();

    assertThat(job.getSpec().suspend).isFalse();
    assertThat(job.getSpec().historyLimit).isEqualTo(20);
    assertThat(job.getSpec().concurrencyPolicy).isEqualTo(ConcurrencyPolicy.Forbid);
    assertThat(job.getSpec().schedule.timeZone).isEqualTo("UTC");
    assertThat(job.getSpec().output.format).isEqualTo(OutputFormat.JSONL);
    assertThat(job.getSpec().output.compression).isEqualTo(Compression.GZIP);
  }

  @Test
  void getListsTheJobsPageColumnsInOrder() throws IOException, InterruptedException {
    var table = kubectl.run("get", "ej", "-n", namespace);

    assertThat(table.exitCode()).isZero();
    String header = table.stdout().lines().findFirst().orElseThrow();
    assertThat(header.split("\\s{2,}"))
        .containsExactly(
            "NAME",
            "TITLE",
            "SOURCE",
            "TYPE",
            "RUN",
            "LATEST STATUS",
            "PROGRESS",
            "ACTIVE",
            "LAST STARTED",
            "NEXT STARTS",
            "AGE");
    assertThat(table.stdout())
        .containsPattern(
            "contacts-weekly\\s+Contacts, weekly\\s+ContactHistory\\s+Contact\\s+Weekly");
  }

  @Test
  void exportJobsBelongToTheCddsCategory() throws IOException, InterruptedException {
    var all = kubectl.run("get", "cdds", "-n", namespace, "-o", "name");

    assertThat(all.exitCode()).isZero();
    assertThat(all.stdout()).contains("exportjob.cdds.dev/once-now");
  }
}
