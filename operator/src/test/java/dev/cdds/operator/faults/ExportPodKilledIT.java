package dev.cdds.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An export pod killed outright in the middle of writing: the Job retries it, the retry starts the
 * run over, and the result is one complete output without a duplicate record; history counts two
 * attempts.
 */
@ExtendWith(ControlPlaneExtension.class)
class ExportPodKilledIT {
  private static final long ROWS = 200_000;
  private static final long KILL_AT_BYTES = 20L << 20;

  private final ControlPlane controlPlane;

  ExportPodKilledIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void aPodKilledMidwayIsRetriedAndTheOutputIsCompleteWithoutDuplicates() throws Exception {
    Path work = WorkDirectory.path();
    try (var postgres = PostgresServer.start(work, "postgres-pod-killed")) {
      try (var db = postgres.connect()) {
        SampleData.load(db, ROWS, 21);
      }
      controlPlane.installCrds();
      var client = controlPlane.client();
      String namespace = TestNamespaces.create(client, "pod-killed");
      OperatorUnderTest.prepareNamespace(
          client, namespace, postgres.url(), PostgresServer.USER, PostgresServer.PASSWORD);
      var job = ExportJobs.once("killed");
      job.getSpec().source.includeAttachments = false;
      job.getSpec().timeframe = new Timeframe();
      job.getSpec().timeframe.type = TimeframeType.All;
      job.getSpec().output = new Output();
      job.getSpec().output.format = OutputFormat.JSONL;
      job.getSpec().output.compression = Compression.NONE;
      Path claim = controlPlane.node().claimDirectory(namespace, OperatorUnderTest.CLAIM);

      try (var operator =
          OperatorUnderTest.start(
              client, namespace, "pod-killed", OperatorUnderTest.realExporter(1))) {
        client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
        await("the first attempt halfway through its file")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> largestPart(claim) > KILL_AT_BYTES);
        Pod first = runningPod(client, namespace).orElseThrow();
        controlPlane.node().kill(namespace, first.getMetadata().getName());

        ExportJob done =
            client
                .resources(ExportJob.class)
                .inNamespace(namespace)
                .withName("killed")
                .waitUntilCondition(
                    j -> j.getStatus() != null && j.getStatus().history != null,
                    180,
                    TimeUnit.SECONDS);

        var run = done.getStatus().history.get(0);
        assertThat(run.result).as(run.message).isEqualTo(RunResult.Succeeded);
        assertThat(run.attempts).isEqualTo(2);
        assertThat(run.records).isEqualTo(ROWS);
        Path runDir = claim.resolve(namespace).resolve("killed").resolve(run.id);
        JsonNode manifest = new ObjectMapper().readTree(runDir.resolve("manifest.json").toFile());
        Set<Long> ids = new HashSet<>();
        long lines = 0;
        for (JsonNode file : manifest.path("files")) {
          try (BufferedReader in =
              Files.newBufferedReader(runDir.resolve(file.path("name").asText()))) {
            String line;
            while ((line = in.readLine()) != null) {
              lines++;
              int start = line.indexOf(':') + 1;
              ids.add(Long.parseLong(line.substring(start, line.indexOf(',', start))));
            }
          }
        }
        assertThat(lines).as("records in the files").isEqualTo(ROWS);
        assertThat(ids).as("distinct ids").hasSize((int) ROWS);
      }
    }
  }

  private static long largestPart(Path claim) throws Exception {
    if (!Files.exists(claim)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(claim)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("part-"))
          .mapToLong(f -> f.toFile().length())
          .max()
          .orElse(0);
    }
  }

  private static Optional<Pod> runningPod(
      io.fabric8.kubernetes.client.KubernetesClient client, String namespace) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("cdds.dev/exportjob", "killed")
        .list()
        .getItems()
        .stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .findFirst();
  }
}
