package dev.cdds.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.Repository;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.plugin.InProcessPlugin;
import dev.cdds.operator.testing.TerminalSession;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code hack/sandbox up}, as a newcomer runs it: the one-time example finishes with its files and
 * a manifest counting exactly the rows PostgreSQL holds; the S3 example runs before and after a
 * {@code down} and {@code up} again; {@code down} leaves no process of the sandbox behind.
 */
class SandboxIT {
  @Test
  void upRunsTheProductAndDownLeavesNothingRunningAndUpAgainFindsItWorking() throws Exception {
    Path dir = WorkDirectory.path().resolve("sandbox");
    sandbox(dir, "down", "--purge");
    List<Long> pids;
    String firstS3Run;
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
      assertThat(sandbox(dir, "status"))
          .contains("kube-apiserver", "etcd", "postgres", dir.toString());

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
        firstS3Run = runS3Example(dir, client);
      }
      assertThat(sandbox(dir, "up", "--no-watch")).as("up twice").contains("already running");
    } finally {
      sandbox(dir, "down");
    }
    assertThat(pids).noneMatch(SandboxIT::alive);
    assertThat(processesNaming(dir)).as("processes naming the sandbox's directory").isEmpty();
    assertThat(sandbox(dir, "status")).startsWith("not running").doesNotContain("processes:");

    try {
      upInATerminalThenCtrlC(dir);
      assertThat(Files.readAllLines(dir.resolve("pids")).stream().map(Long::parseLong))
          .as("Ctrl-C stops the table only")
          .hasSizeGreaterThanOrEqualTo(7)
          .allMatch(SandboxIT::alive);
      assertThat(sandbox(dir, "status")).startsWith("running");
      Config config =
          Config.fromKubeconfig(Files.readString(Path.of(ready(dir).get("kubeconfig"))));
      try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
        String secondS3Run = runS3Example(dir, client);
        // Both runs' files are in the bucket, the first one's kept across the restart.
        assertThat(List.of(firstS3Run, secondS3Run))
            .allSatisfy(
                manifest ->
                    assertThat(bucketKeys(dir, manifest.substring(0, manifest.lastIndexOf('/'))))
                        .contains(manifest)
                        .anyMatch(k -> k.endsWith(".jsonl.gz")));
      }
    } finally {
      sandbox(dir, "down");
    }
    assertThat(processesNaming(dir)).as("processes naming the sandbox's directory").isEmpty();
  }

  /**
   * Runs the S3 example by hand as a person does, and waits for it to succeed; the key of its
   * manifest in the bucket.
   */
  private static String runS3Example(Path dir, KubernetesClient client) {
    var plugin = new InProcessPlugin(dir.resolve("kubeconfig"), "demo");
    // A second run in the same minute as the first is refused: retried until the next minute.
    String[] id = new String[1];
    Awaitility.await("kubectl cdds run interactions-daily-s3")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              var started = plugin.run("run", "interactions-daily-s3");
              id[0] = started.exit() == 0 ? started.out().split(" ")[1] : null;
              return id[0] != null;
            });
    var run =
        client
            .resources(ExportJob.class)
            .inNamespace("demo")
            .withName("interactions-daily-s3")
            .waitUntilCondition(
                j ->
                    j.getStatus() != null
                        && j.getStatus().history != null
                        && j.getStatus().history.stream().anyMatch(r -> id[0].equals(r.id)),
                180,
                TimeUnit.SECONDS)
            .getStatus()
            .history
            .stream()
            .filter(r -> id[0].equals(r.id))
            .findFirst()
            .orElseThrow();
    assertThat(run.result).as(run.message).isEqualTo(RunResult.Succeeded);
    assertThat(run.manifest).startsWith("s3://cdds-exports/");
    return run.manifest.substring("s3://cdds-exports/".length());
  }

  private static List<String> bucketKeys(Path dir, String prefix) throws IOException {
    String s3 = ready(dir).get("s3");
    String endpoint = s3.substring(0, s3.lastIndexOf('/'));
    try (var client = S3Server.client(endpoint)) {
      return client
          .listObjectsV2Paginator(r -> r.bucket("cdds-exports").prefix(prefix))
          .contents()
          .stream()
          .map(S3Object::key)
          .toList();
    }
  }

  /**
   * {@code hack/sandbox up} in a terminal (a tmux pane), as a person runs it: once the Jobs table
   * shows, Ctrl-C, which the terminal sends as SIGINT to its whole foreground process group; then
   * the command has ended.
   */
  private static void upInATerminalThenCtrlC(Path dir) throws Exception {
    try (var terminal =
        TerminalSession.start(
            "bash " + Repository.ROOT.resolve("hack/sandbox") + " up",
            Map.of("SANDBOX_DIR", dir.toString()))) {
      terminal.awaitScreen(
          "the Jobs table in the terminal",
          Duration.ofMinutes(10),
          s -> s.contains("once-now") && s.contains("NAME"));
      terminal.pressCtrlC();
      terminal.awaitExit(Duration.ofSeconds(30));
    }
  }

  /** Live processes whose command line names {@code dir}, as a person would look for them. */
  private static List<String> processesNaming(Path dir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains(dir.toString()))
        .toList();
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
