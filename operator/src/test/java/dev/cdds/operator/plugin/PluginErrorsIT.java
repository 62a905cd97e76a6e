package dev.cdds.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.FreePorts;
import dev.cdds.operator.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl cdds} failing as a person meets it, through the installed launcher: a mistyped
 * flag, a cluster that does not answer, a user RBAC refuses. Each is one line on stderr, a non-zero
 * exit code, and no stack trace.
 */
class PluginErrorsIT {
  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.namespaceOnly("plugin-errors");

  private static final Path LAUNCHER =
      Path.of(System.getProperty("cdds.operatorJar")).resolveSibling("kubectl-cdds");

  @Test
  void aMistypedFlagSaysWhichAndWhereHelpIsAndExitsTwo() throws Exception {
    var run = launch(cluster.controlPlane().kubeconfig(), "list", "--bogus");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr().lines().toList())
        .singleElement()
        .asString()
        .startsWith("error: Unknown option: '--bogus'")
        .contains("kubectl cdds list --help");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void aClusterThatDoesNotAnswerFailsAtOnceNamingTheServer() throws Exception {
    int closed = FreePorts.loopback();
    Path kubeconfig =
        Files.writeString(
            Files.createTempFile("unreachable", ".kubeconfig"),
            Files.readString(cluster.controlPlane().kubeconfig())
                .replaceAll("server: https://[^\\s]+", "server: https://127.0.0.1:" + closed));

    long started = System.nanoTime();
    var run = launch(kubeconfig, "list", "-n", cluster.namespace());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.stderr().lines().toList())
        .singleElement()
        .asString()
        .startsWith("error: ")
        .contains("127.0.0.1:" + closed);
    assertThat(took).as("no retries against a closed port").isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aUserWithoutTheRightsGetsTheServersRefusal() throws Exception {
    cluster
        .client()
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("nobody").endMetadata().build())
        .inNamespace(cluster.namespace())
        .create();
    Path kubeconfig =
        cluster
            .controlPlane()
            .kubeconfigAs(
                cluster.namespace(), "nobody", Files.createTempFile("nobody", ".kubeconfig"));

    var run = launch(kubeconfig, "list");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.stderr().lines().toList())
        .singleElement()
        .asString()
        .startsWith("error: ")
        .contains("forbidden", "system:serviceaccount:" + cluster.namespace() + ":nobody");
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static Run launch(Path kubeconfig, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(LAUNCHER.toString()));
    argv.addAll(List.of(args));
    var builder = new ProcessBuilder(argv);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    Path out = Files.createTempFile("cdds", ".out");
    Path err = Files.createTempFile("cdds", ".err");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the plugin ends").isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
