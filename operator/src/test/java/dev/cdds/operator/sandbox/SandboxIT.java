package dev.cdds.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.Repository;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunResult;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code hack/sandbox up}, as a newcomer runs it: the one-time example finishes with its files and
 * a manifest counting exactly the rows PostgreSQL holds; {@code down} leaves no process behind.
 */
class SandboxIT {
  @Test
  void upRunsTheProductAndDownLeavesNothingRunning() throws Exception {
    Path dir = WorkDirectory.path().resolve("sandbox");
    sandbox(dir, "down", "--purge");
    List<Long> pids;
    try {
      String up = sandbox(dir, "up", "--no-watch");
      assertThat(up).contains("export KUBECONFIG=" + dir.resolve("kubeconfig"));
      Map<String, String> ready = ready(dir);
      pids = Files.readAllLines(dir.resolve("pids")).stream().map(Long::parseLong).toList();
      assertThat(pids).hasSizeGreaterThanOrEqualTo(7).allMatch(SandboxIT::alive);
      // The demo runs the product's jar and the local cluster's module, never test code.
      long sandbox = Long.parseLong(Files.readString(dir.resolve("sandbox.pid")).trim());
      String commandLine =
          Files.readString(Path.of("/proc/" + sandbox + "/cmdline")).replace('\0', ' ');
      assertThat(commandLine)
          .contains("dev.cdds.localcluster.Sandbox", "localcluster/target/classes")
          .doesNotContain("test-classes");

      Config config = Config.fromKubeconfig(Files.readString(Path.of(ready.get("kubeconfig"))));
      try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
        ExportJob done =
            client
                .resources(ExportJob.class)
                .inNamespace("demo")
                .withName("once-now")
                .waitUntilCondition(
                    j -> j != null && j.getStatus() != null && j.getStatus().history != null,
                    180,
                    TimeUnit.SECONDS);
        var run = done.getStatus().history.get(0);
        assertThat(run.result).as(run.message).isEqualTo(RunResult.Succeeded);

        Path runDir = Path.of(ready.get("exports")).resolve("demo/once-now").resolve(run.id);
        JsonNode manifest = new ObjectMapper().readTree(runDir.resolve("manifest.json").toFile());
        long contacts;
        try (var db =
                DriverManager.getConnection(
                    ready.get("postgres"), PostgresServer.USER, PostgresServer.PASSWORD);
            var rs = db.createStatement().executeQuery("SELECT count(*) FROM contacts")) {
          rs.next();
          contacts = rs.getLong(1);
        }
        assertThat(manifest.path("records").asLong()).isEqualTo(contacts).isPositive();
        for (JsonNode file : manifest.path("files")) {
          assertThat(runDir.resolve(file.path("name").asText())).exists();
        }
      }
      assertThat(sandbox(dir, "up", "--no-watch")).as("up twice").contains("already running");
    } finally {
      sandbox(dir, "down");
    }
    assertThat(pids).noneMatch(SandboxIT::alive);
    assertThat(sandbox(dir, "status")).startsWith("not running");
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Map<String, String> ready(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("ready")).stream()
        .filter(l -> l.contains("="))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
  }

  /** Runs hack/sandbox as a person does (the build is done), output and errors merged. */
  private static String sandbox(Path dir, String... args) throws Exception {
    var command =
        new java.util.ArrayList<>(
            List.of("bash", Repository.ROOT.resolve("hack/sandbox").toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SANDBOX_DIR", dir.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
