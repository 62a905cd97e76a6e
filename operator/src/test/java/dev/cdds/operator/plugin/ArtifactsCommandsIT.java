package dev.cdds.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.Kubectl;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.Destination;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.PvcDestination;
import dev.cdds.operator.plugin.InProcessPlugin.Result;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.DirectoryArchive;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.PublishedRuns;
import dev.cdds.operator.testing.S3Destinations;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code kubectl cdds files}, {@code download}: the Artifacts page, against a real S3 server. */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactsCommandsIT {
  private final ControlPlane controlPlane;
  private final KubernetesClient client;
  private S3Server s3;
  private String namespace;
  private Path work;
  private String recent;
  private String older;

  ArtifactsCommandsIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.client();
  }

  @BeforeAll
  void setUp() throws Exception {
    Path base = WorkDirectory.path();
    work = Files.createTempDirectory(base, "artifacts-");
    s3 = S3Server.start(base, "s3-artifacts");
    controlPlane.installCrds();
    namespace = TestNamespaces.create(client, "artifacts");
    client.resource(S3Server.credentialsSecret("bucket")).inNamespace(namespace).create();
    var job = ExportJobs.daily("reports", "05:00", "UTC");
    job.getSpec().suspend = true;
    job.getSpec().output = new Output();
    job.getSpec().output.retentionDays = 10;
    job.getSpec().output.destination = new Destination();
    job.getSpec().output.destination.s3 = S3Destinations.of(s3, "exports", "site/", "bucket");
    client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // Seven and a half days left, and none: expired but not yet deleted.
    recent = RunIds.of("reports", now.minus(Duration.ofDays(3)).plus(Duration.ofHours(12)));
    older = RunIds.of("reports", now.minus(Duration.ofDays(11)));
    try (ExportJobArchive archive =
        S3Destinations.archive(job.getSpec().output.destination.s3, namespace, "reports")) {
      writeRun(archive, recent, List.of("part-00000.jsonl.gz", "part-00001.jsonl.gz"));
      writeRun(archive, older, List.of("part-00000.jsonl.gz"));
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    s3.close();
  }

  @Test
  void filesListsEveryFileOfTheRunsKeptWithTheDaysLeft() {
    Result all = cdds("files", "reports");
    Result one = cdds("files", "reports", "--run", recent);

    assertThat(all.exit()).as(all.err()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines.get(0)).startsWith("RUN").contains("FILE", "SIZE", "RECORDS", "SHA-256");
    assertThat(lines.get(0)).contains("CREATED", "DAYS LEFT");
    assertThat(lines).hasSize(4);
    assertThat(lines.subList(1, 4))
        .anySatisfy(
            l -> assertThat(l).startsWith(older).contains("part-00000.jsonl.gz").endsWith(" 0"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(recent)
                    .contains("part-00001.jsonl.gz", sha256(content(recent, "part-00001.jsonl.gz")))
                    .endsWith(" 7"));
    assertThat(one.out().lines().skip(1)).allSatisfy(l -> assertThat(l).startsWith(recent));
    assertThat(one.out().lines().count()).isEqualTo(3);
  }

  @Test
  void presignedUrlsFetchARunsFilesWithoutTheKeysUntilTheyExpire() throws Exception {
    Result signed = cdds("presign", "reports", "--run", recent, "--expires", "5s");

    assertThat(signed.exit()).as(signed.err()).isZero();
    assertThat(signed.err()).startsWith("valid until ");
    Map<String, URI> urls = new LinkedHashMap<>();
    signed.out().lines().map(l -> l.split("  ")).forEach(l -> urls.put(l[0], URI.create(l[1])));
    assertThat(urls.keySet())
        .containsExactly(Manifest.FILE, "part-00000.jsonl.gz", "part-00001.jsonl.gz");
    assertThat(signed.out()).doesNotContain(S3Server.SECRET_ACCESS_KEY);
    var http = HttpClient.newHttpClient();
    for (String name : List.of("part-00000.jsonl.gz", "part-00001.jsonl.gz")) {
      var fetched =
          http.send(HttpRequest.newBuilder(urls.get(name)).build(), BodyHandlers.ofByteArray());
      assertThat(fetched.statusCode()).isEqualTo(200);
      assertThat(fetched.body()).isEqualTo(content(recent, name));
    }
    URI otherFile =
        URI.create(urls.get("part-00000.jsonl.gz").toString().replace("part-00000", "part-00001"));
    assertThat(
            http.send(HttpRequest.newBuilder(otherFile).build(), BodyHandlers.discarding())
                .statusCode())
        .as("a URL signs one file, not its neighbours")
        .isEqualTo(403);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(urls.get("part-00000.jsonl.gz")).build(),
                            BodyHandlers.discarding())
                        .statusCode()
                    == 403);
  }

  @Test
  void downloadFetchesARunVerifiedAndRefusesACorruptFile() throws Exception {
    Path to = Files.createDirectories(work.resolve("download"));

    Result done = cdds("download", "reports", "--run", recent, "--to", to.toString());

    assertThat(done.exit()).as(done.err()).isZero();
    assertThat(done.out())
        .endsWith(
            "2 files of run " + recent + " in " + to.resolve(recent) + ", SHA-256 verified\n");
    for (String name : List.of("part-00000.jsonl.gz", "part-00001.jsonl.gz")) {
      assertThat(to.resolve(recent).resolve(name)).hasBinaryContent(content(recent, name));
    }
    assertThat(to.resolve(recent).resolve(Manifest.FILE)).exists();

    String key = "site/" + namespace + "/reports/" + older + "/part-00000.jsonl.gz";
    s3.write("exports", key, "tampered".getBytes(StandardCharsets.UTF_8));
    Result corrupt = cdds("download", "reports", "--run", older, "--to", to.toString());

    assertThat(corrupt.exit()).isEqualTo(1);
    assertThat(corrupt.err())
        .startsWith("error: part-00000.jsonl.gz: SHA-256 ")
        .contains("differs from the manifest's")
        .doesNotContain("\tat ");
    try (var left = Files.list(to.resolve(older))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aManifestNamingAFileOutsideItsRunIsRefusedAndNothingIsWritten() throws Exception {
    Path to = Files.createDirectories(work.resolve("download-hostile"));
    var job = ExportJobs.daily("hostile", "05:00", "UTC");
    job.getSpec().suspend = true;
    job.getSpec().output = new Output();
    job.getSpec().output.destination = new Destination();
    job.getSpec().output.destination.s3 = S3Destinations.of(s3, "exports", "site/", "bucket");
    client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
    String run =
        RunIds.of(
            "hostile", Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES));
    String folder = "site/" + namespace + "/hostile/" + run + "/";
    byte[] payload = "ssh-ed25519 AAAA attacker".getBytes(StandardCharsets.UTF_8);
    // Anyone who can write to the bucket could plant this: a name climbing out of --to, and the
    // file it names, so that its SHA-256 matches.
    s3.write("exports", folder + "../../../../escaped.txt", payload);
    s3.write(
        "exports",
        folder + Manifest.FILE,
        ("{\"manifestVersion\":1,\"runId\":\""
                + run
                + "\",\"records\":1,\"bytes\":"
                + payload.length
                + ",\"files\":[{\"name\":\"../../../../escaped.txt\",\"bytes\":"
                + payload.length
                + ",\"records\":1,\"sha256\":\""
                + sha256(payload)
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8));

    String good =
        RunIds.of(
            "hostile", Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES));
    try (ExportJobArchive archive =
        S3Destinations.archive(job.getSpec().output.destination.s3, namespace, "hostile")) {
      writeRun(archive, good, List.of("part-00000.csv"));
    }
    // A folder of --to someone made a link to elsewhere: followed, it would write there.
    Path elsewhere = Files.createDirectories(work.resolve("download-elsewhere"));
    Path linkedTo = Files.createDirectories(work.resolve("download-linked"));
    Files.createSymbolicLink(linkedTo.resolve(good), elsewhere);

    Result refused = cdds("download", "hostile", "--run", run, "--to", to.toString());
    Result listed = cdds("files", "hostile", "--run", run);
    Result all = cdds("files", "hostile");
    Result throughLink = cdds("download", "hostile", "--run", good, "--to", linkedTo.toString());

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .contains("manifest.json names \"../../../../escaped.txt\", not a plain file name")
        .contains("the whole run is refused");
    assertThat(listed.exit()).isEqualTo(1);
    assertThat(listed.err()).contains("not a plain file name");
    try (var written = Files.walk(work)) {
      assertThat(written.filter(p -> p.getFileName().toString().startsWith("escaped"))).isEmpty();
    }
    assertThat(to.resolve(run)).doesNotExist();
    assertThat(all.exit()).as("one tampered run is said, not hidden").isEqualTo(1);
    assertThat(all.out()).contains(good + "   part-00000.csv");
    assertThat(all.err())
        .isEqualTo(
            "error: run "
                + run
                + " refused: manifest.json names \"../../../../escaped.txt\", not a plain file"
                + " name of the run (letters, digits, '.', '_', '-'; no '..'): the whole run is"
                + " refused\n");
    assertThat(throughLink.exit()).isEqualTo(1);
    assertThat(throughLink.err()).contains(good + " is a symbolic link");
    try (var written = Files.list(elsewhere)) {
      assertThat(written).isEmpty();
    }
  }

  @Test
  void aRunOnAClaimIsListedFromWhereItIsMountedOrCopiedOutThroughAReaderPod() throws Exception {
    var job = ExportJobs.daily("on-claim", "06:00", "UTC");
    job.getSpec().suspend = true;
    job.getSpec().output = new Output();
    job.getSpec().output.destination = new Destination();
    job.getSpec().output.destination.pvc = new PvcDestination();
    job.getSpec().output.destination.pvc.claimName = "exports";
    client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
    Path claim = Files.createDirectories(work.resolve("claim"));
    String run = RunIds.of("on-claim", Instant.now().minus(Duration.ofDays(1)));
    try (var archive = new DirectoryArchive(claim, namespace, "on-claim")) {
      writeRun(archive, run, List.of("part-00000.csv"));
    }

    Result unreadable = cdds("files", "on-claim");
    Result listed = cdds("files", "on-claim", "--claim-dir", claim.toString());
    Result instructions = cdds("download", "on-claim", "--run", run);

    assertThat(unreadable.exit()).isEqualTo(1);
    assertThat(unreadable.err()).contains("--claim-dir");
    assertThat(listed.out().lines().skip(1))
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith(run).contains("part-00000.csv").endsWith(" 28"));
    assertThat(instructions.exit()).isZero();
    assertThat(instructions.out())
        .contains("is on PersistentVolumeClaim exports, in " + namespace + "/on-claim/" + run + "/")
        .contains("kubectl -n " + namespace + " run cdds-read-on-claim --image=busybox:1.37")
        .contains("\"claimName\":\"exports\",\"readOnly\":true")
        .contains(
            "kubectl -n "
                + namespace
                + " cp cdds-read-on-claim:/export/"
                + namespace
                + "/on-claim/"
                + run
                + " ./"
                + run);

    // A person runs the printed commands: the reader pod (busybox, restricted, the claim
    // read-only) starts as a container of a local stand-in for busybox and becomes Ready. The
    // copy itself (kubectl cp) needs exec, which the process node does not offer.
    client
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("exports")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(
                    java.util.Map.of(
                        "storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build())
        .inNamespace(namespace)
        .serverSideApply();
    String runLine =
        instructions
            .out()
            .lines()
            .filter(l -> l.contains(" run cdds-read-on-claim "))
            .findFirst()
            .orElseThrow()
            .trim();
    String overrides =
        runLine.substring(
            runLine.indexOf("--overrides='") + "--overrides='".length(), runLine.length() - 1);
    var kubectl = new Kubectl(controlPlane);
    var started =
        kubectl.run(
            "-n",
            namespace,
            "run",
            "cdds-read-on-claim",
            "--image=busybox:1.37",
            "--restart=Never",
            "--overrides=" + overrides);
    var ready =
        kubectl.run(
            "-n",
            namespace,
            "wait",
            "--for=condition=Ready",
            "pod/cdds-read-on-claim",
            "--timeout=90s");

    assertThat(started.exitCode()).as(started.stderr()).isZero();
    assertThat(ready.exitCode()).as(ready.stderr()).isZero();
    var reader = client.pods().inNamespace(namespace).withName("cdds-read-on-claim").get();
    assertThat(reader.getStatus().getContainerStatuses().get(0).getContainerID())
        .startsWith("podman://");
    client.resource(reader).delete();
  }

  private void writeRun(ExportJobArchive archive, String run, List<String> names) throws Exception {
    PublishedRuns.write(archive, new RunTarget(namespace, "reports", run), names);
  }

  private static byte[] content(String run, String name) {
    return PublishedRuns.content(run, name);
  }

  private static String sha256(byte[] content) {
    return PublishedRuns.sha256(content);
  }

  private Result cdds(String... command) {
    return new InProcessPlugin(controlPlane.kubeconfig(), namespace).run(command);
  }
}
