package dev.cdds.operator.gitops;

import static dev.cdds.operator.testing.ExportJobs.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.CommandResult;
import dev.cdds.localcluster.Kubectl;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputEncryption;
import dev.cdds.operator.api.SecretReference;
import dev.cdds.operator.plugin.InProcessPlugin;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a GitOps pipeline asks of an ExportJob, asked with the pipeline tools' own code against the
 * real API server: kstatus (Flux, cli-utils) and Argo CD's Lua interpreter running
 * docs/gitops/health.lua (hack/gitops-health.sh), {@code kubectl wait}, server-side apply of {@code
 * kubectl cdds create --dry-run}, and the examples/gitops overlays.
 */
class GitOpsIT {
  private static final Path REPOSITORY = Path.of("..");

  @RegisterExtension static final OperatorExtension cluster = OperatorExtension.running("gitops");

  /** No operator watches it: its jobs stay as a pipeline sees them just after applying. */
  @RegisterExtension
  static final OperatorExtension unwatched = OperatorExtension.namespaceOnly("gitops-new");

  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void clearMarkers() throws Exception {
    for (String marker : new String[] {"hold", "release", "fail"}) {
      Files.deleteIfExists(cluster.claim().resolve(marker));
    }
  }

  @Test
  void fluxKstatusAndArgoCdSayWhatEachStateIs() throws Exception {
    unwatched.jobs().resource(ExportJobs.daily("new", "01:00", "UTC")).create();
    cluster.jobs().resource(ExportJobs.daily("ready", "01:00", "UTC")).create();
    var suspended = ExportJobs.daily("suspended", "01:00", "UTC");
    suspended.getSpec().suspend = true;
    cluster.jobs().resource(suspended).create();
    var noSecret = ExportJobs.daily("no-secret", "01:00", "UTC");
    noSecret.getSpec().source.secretRef = new SecretReference("warehouse-db");
    cluster.jobs().resource(noSecret).create();
    cluster.jobs().resource(withExpiredCertificate("bad-certificate")).create();
    cluster.jobs().resource(ExportJobs.daily("succeeded", "01:00", "UTC")).create();
    cluster.jobs().resource(ExportJobs.once("once-done")).create();
    Instant yesterday = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(1));
    cluster.awaitRun("succeeded", cluster.startScheduledRun("succeeded", yesterday));
    await("once-done", j -> j.getStatus().history != null);

    Files.createDirectories(cluster.claim());
    Files.writeString(cluster.claim().resolve("fail"), "");
    cluster.jobs().resource(ExportJobs.daily("failed", "01:00", "UTC")).create();
    cluster.awaitRun("failed", cluster.startScheduledRun("failed", yesterday));
    Files.delete(cluster.claim().resolve("fail"));
    Files.writeString(cluster.claim().resolve("hold"), "");
    cluster.jobs().resource(ExportJobs.daily("running", "01:00", "UTC")).create();
    cluster.startScheduledRun("running", yesterday);
    await(
        "running",
        j -> j.getStatus().currentRun != null && j.getStatus().currentRun.progress != null);
    await("ready", j -> hasCondition(j, "Ready", "True", null));
    await("suspended", j -> hasCondition(j, "Suspended", "True", "SuspendedBySpec"));
    await("no-secret", j -> hasCondition(j, "Stalled", "True", "SourceSecretMissing"));
    await(
        "bad-certificate", j -> hasCondition(j, "Stalled", "True", "InvalidEncryptionCertificate"));

    Map<String, JsonNode> health = health(cluster.namespace());
    health.putAll(health(unwatched.namespace()));
    Files.writeString(cluster.claim().resolve("release"), "");

    assertThat(verdicts(health, "kstatus"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "new", "InProgress",
                "ready", "Current",
                "running", "Current",
                "succeeded", "Current",
                "failed", "Current",
                "suspended", "Current",
                "once-done", "Current",
                "no-secret", "Failed",
                "bad-certificate", "Failed"));
    assertThat(verdicts(health, "argocd"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "new", "Progressing",
                "ready", "Healthy",
                "running", "Progressing",
                "succeeded", "Healthy",
                "failed", "Degraded",
                "suspended", "Suspended",
                "once-done", "Suspended",
                "no-secret", "Degraded",
                "bad-certificate", "Degraded"));
    assertThat(message(health, "new", "kstatus"))
        .isEqualTo("ExportJob generation is 1, but latest observed generation is 0");
    assertThat(message(health, "new", "argocd"))
        .isEqualTo("waiting for the cdds operator to act on generation 1");
    assertThat(message(health, "no-secret", "kstatus"))
        .isEqualTo(message(health, "no-secret", "argocd"))
        .contains("Secret warehouse-db not found");
    assertThat(message(health, "bad-certificate", "argocd"))
        .contains("the certificate in Secret recipient key tls.crt")
        .contains("expired");
    assertThat(message(health, "failed", "argocd"))
        .endsWith("failed: the source database refused the query");
    assertThat(message(health, "running", "argocd")).contains("is in progress: 50% done");
    assertThat(message(health, "suspended", "argocd"))
        .isEqualTo("spec.suspend is true: no new run starts");
    assertThat(message(health, "once-done", "argocd")).contains("clone it to run it again");
    assertThat(message(health, "succeeded", "argocd")).endsWith(": Succeeded");
  }

  @Test
  void kubectlWaitsForReadyAndForStalled() throws Exception {
    cluster.jobs().resource(ExportJobs.daily("waited", "01:00", "UTC")).create();
    var stuck = ExportJobs.daily("waited-stuck", "01:00", "UTC");
    stuck.getSpec().source.secretRef = new SecretReference("not-there");
    cluster.jobs().resource(stuck).create();
    var kubectl = new Kubectl(cluster.controlPlane());

    var ready = wait(kubectl, "condition=Ready", "waited");
    var stalled = wait(kubectl, "condition=Stalled", "waited-stuck");
    var notReady = wait(kubectl, "condition=Ready=False", "waited-stuck");
    var neverReady =
        kubectl.run(
            "wait",
            "--for=condition=Ready",
            "ej/waited-stuck",
            "-n",
            cluster.namespace(),
            "--timeout=3s");

    assertThat(ready.exitCode()).as(ready.stderr()).isZero();
    assertThat(ready.stdout()).isEqualTo("exportjob.cdds.dev/waited condition met\n");
    assertThat(stalled.exitCode()).as(stalled.stderr()).isZero();
    assertThat(notReady.exitCode()).as(notReady.stderr()).isZero();
    assertThat(neverReady.exitCode()).isNotZero();
    assertThat(neverReady.stderr()).contains("timed out");
  }

  @Test
  void aDryRunCreateIsAManifestThatAppliesServerSideTwiceWithoutADiff() throws Exception {
    var plugin = new InProcessPlugin(cluster.controlPlane().kubeconfig(), cluster.namespace());
    var manifest =
        plugin.run(
            "create",
            "from-the-repo",
            "--title=From the repo",
            "--type=Interaction",
            "--run=Daily",
            "--time=02:30",
            "--dry-run");
    assertThat(manifest.exit()).as(manifest.err()).isZero();
    Path file = Files.createTempFile("from-the-repo", ".yaml");
    Files.writeString(file, manifest.out());
    var kubectl = new Kubectl(cluster.controlPlane());
    String[] apply = {
      "apply",
      "--server-side",
      "--field-manager=pipeline",
      "-n",
      cluster.namespace(),
      "-f",
      file.toString()
    };

    var first = kubectl.run(apply);
    long generation = cluster.jobs().withName("from-the-repo").get().getMetadata().getGeneration();
    await("from-the-repo", j -> hasCondition(j, "Ready", "True", null));
    var second = kubectl.run(apply);
    var diff =
        kubectl.run(
            "diff",
            "--server-side",
            "--field-manager=pipeline",
            "-n",
            cluster.namespace(),
            "-f",
            file.toString());

    assertThat(manifest.out())
        .doesNotContain("uid", "creationTimestamp", "managedFields", "status", "generation");
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stdout()).isEqualTo("exportjob.cdds.dev/from-the-repo serverside-applied\n");
    assertThat(diff.exitCode()).as(diff.stdout() + diff.stderr()).isZero();
    assertThat(diff.stdout()).isEmpty();
    assertThat(cluster.jobs().withName("from-the-repo").get().getMetadata().getGeneration())
        .isEqualTo(generation);
  }

  @Test
  void theGitOpsExampleBuildsPerEnvironmentAndTheServerAcceptsIt() throws Exception {
    var kubectl = new Kubectl(cluster.controlPlane());
    Map<String, Map<String, ExportJob>> built = new HashMap<>();
    for (String environment : List.of("staging", "production")) {
      var result =
          kubectl.run(
              "kustomize",
              REPOSITORY.resolve("examples/gitops/overlays").resolve(environment).toString());
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.stderr()).as("no deprecation warning").isEmpty();
      Map<String, ExportJob> jobs = new HashMap<>();
      for (String document : result.stdout().split("(?m)^---$")) {
        ExportJob job = Serialization.unmarshal(document, ExportJob.class);
        jobs.put(job.getMetadata().getName(), job);
        // Where the overlay puts it is its business; whether the server takes it is ours.
        job.getMetadata().setNamespace(cluster.namespace());
        cluster.jobs().resource(job).dryRun().create();
      }
      built.put(environment, jobs);
    }

    var staging = built.get("staging").get("interactions-daily").getSpec();
    var production = built.get("production").get("interactions-daily").getSpec();
    assertThat(built.get("staging")).containsOnlyKeys("interactions-daily", "contacts-weekly");
    assertThat(built.get("production")).containsOnlyKeys("interactions-daily", "contacts-weekly");
    assertThat(staging.schedule.time).isEqualTo("05:30");
    assertThat(staging.output.destination.pvc.claimName).isEqualTo("exports");
    assertThat(production.schedule.time).isEqualTo("02:00");
    assertThat(production.schedule.timeZone).isEqualTo("Europe/Paris");
    assertThat(production.output.destination.s3.bucket).isEqualTo("data-lake-exports");
    assertThat(built.get("production").get("contacts-weekly").getMetadata().getNamespace())
        .isEqualTo(cluster.namespace());
    String application =
        Files.readString(REPOSITORY.resolve("examples/gitops/argocd/application.yaml"));
    assertThat(application).contains("path: examples/gitops/overlays/production");
  }

  private ExportJob withExpiredCertificate(String name) throws Exception {
    Path keys = Files.createTempDirectory("gitops-keys");
    Instant now = Instant.now();
    var expired =
        TestCertificates.rsa(
            keys, "old-recipient", 2048, now.minus(Duration.ofDays(400)), now.minusSeconds(60));
    cluster
        .client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("recipient")
                .endMetadata()
                .withStringData(Map.of("tls.crt", expired.certificatePem()))
                .build())
        .inNamespace(cluster.namespace())
        .create();
    var job = ExportJobs.daily(name, "01:00", "UTC");
    job.getSpec().output = new Output();
    job.getSpec().output.encryption = new OutputEncryption();
    job.getSpec().output.encryption.certificateSecretRef = new SecretReference("recipient");
    return job;
  }

  /** What hack/gitops-health.sh says of each ExportJob of a namespace, by name. */
  private static Map<String, JsonNode> health(String namespace) throws Exception {
    var result =
        CommandResult.run(
            List.of(
                "bash",
                REPOSITORY.resolve("hack/gitops-health.sh").toString(),
                "-kubeconfig",
                cluster.controlPlane().kubeconfig().toAbsolutePath().toString(),
                "-namespace",
                namespace),
            Map.of());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Map<String, JsonNode> byName = new HashMap<>();
    for (String line : result.stdout().lines().toList()) {
      JsonNode node = JSON.readTree(line);
      byName.put(node.get("name").asText(), node);
    }
    return byName;
  }

  private static Map<String, String> verdicts(Map<String, JsonNode> health, String tool) {
    Map<String, String> verdicts = new HashMap<>();
    health.forEach((name, node) -> verdicts.put(name, node.get(tool).get("status").asText()));
    return verdicts;
  }

  private static String message(Map<String, JsonNode> health, String name, String tool) {
    return health.get(name).get(tool).get("message").asText();
  }

  private static CommandResult wait(Kubectl kubectl, String condition, String name)
      throws Exception {
    return kubectl.run(
        "wait", "--for=" + condition, "ej/" + name, "-n", cluster.namespace(), "--timeout=60s");
  }

  private static ExportJob await(String name, Predicate<ExportJob> condition) {
    return cluster
        .jobs()
        .withName(name)
        .waitUntilCondition(
            j -> j != null && j.getStatus() != null && condition.test(j), 90, TimeUnit.SECONDS);
  }
}
