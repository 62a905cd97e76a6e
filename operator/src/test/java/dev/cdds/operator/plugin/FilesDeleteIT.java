package dev.cdds.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.Destination;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.plugin.InProcessPlugin.Result;
import dev.cdds.operator.runcontract.RunDeletionRequest;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.testing.ControlPlaneExtension;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorUnderTest;
import dev.cdds.operator.testing.PublishedRuns;
import dev.cdds.operator.testing.S3Destinations;
import dev.cdds.operator.testing.TerminalSession;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl cdds files delete}: the Artifacts page's delete, as a person without the bucket's
 * keys meets it — refusals first, then the operator's prune Job deleting exactly the runs asked for
 * from a real S3 server, and history marking them deleted.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// One job and its runs: refusals and the question first, then the deletion, which ends them.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FilesDeleteIT {
  private static final String JOB = "pruned";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ControlPlane controlPlane;
  private final KubernetesClient client;
  private S3Server s3;
  private String namespace;
  private String first;
  private String second;
  private String kept;
  private String running;

  FilesDeleteIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.client();
  }

  @BeforeAll
  void setUp() throws Exception {
    s3 = S3Server.start(WorkDirectory.path(), "s3-files-delete");
    controlPlane.installCrds();
    namespace = TestNamespaces.create(client, "files-delete");
    OperatorUnderTest.prepareNamespace(client, namespace);
    client.resource(S3Server.credentialsSecret("bucket")).inNamespace(namespace).create();
    var job = ExportJobs.daily(JOB, "05:00", "UTC");
    job.getSpec().suspend = true;
    job.getSpec().output = new Output();
    job.getSpec().output.retentionDays = 30;
    job.getSpec().output.destination = new Destination();
    job.getSpec().output.destination.s3 = S3Destinations.of(s3, "exports", "site/", "bucket");
    client.resources(ExportJob.class).inNamespace(namespace).resource(job).create();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    first = RunIds.of(JOB, now.minus(Duration.ofDays(3)));
    second = RunIds.of(JOB, now.minus(Duration.ofDays(2)));
    kept = RunIds.of(JOB, now.minus(Duration.ofDays(1)));
    running = RunIds.of(JOB, now.minus(Duration.ofMinutes(5)));
    try (ExportJobArchive archive = archive()) {
      for (String run : List.of(first, second, kept)) {
        PublishedRuns.write(
            archive, new RunTarget(namespace, JOB, run), List.of("part-00000.jsonl.gz"));
      }
    }
    // As the operator recorded them, with a run in progress (no operator runs yet to clear it).
    job()
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"status": {
              "currentRun": {"id": "%s", "scheduledAt": "%s"},
              "history": [%s, %s, %s]}}
            """
                .formatted(
                    running,
                    RunIds.scheduledAt(running).orElseThrow(),
                    record(kept),
                    record(second),
                    record(first)));
  }

  @AfterAll
  void tearDown() throws Exception {
    s3.close();
  }

  @Test
  @Order(1)
  void aRequestThatCannotBeMetIsRefusedWithTheReasonAndAsksForNothing() {
    Result inProgress = cdds("files", "delete", JOB, "--run", running, "--yes");
    Result unknown = cdds("files", "delete", JOB, "--run", RunIds.of(JOB, Instant.EPOCH), "--yes");
    Result unconfirmed = cdds("files", "delete", JOB, "--run", first);
    List<String> tooMany = new ArrayList<>(List.of("files", "delete", JOB, "--yes"));
    IntStream.range(0, 101)
        .forEach(
            i -> tooMany.addAll(List.of("--run", RunIds.of(JOB, Instant.ofEpochSecond(60L * i)))));
    Result overLimit = cdds(tooMany.toArray(String[]::new));

    assertThat(inProgress.exit()).isEqualTo(1);
    assertThat(inProgress.err())
        .isEqualTo(
            "error: run "
                + running
                + " is in progress: its files can be deleted once it has ended (kubectl cdds"
                + " history pruned)\n");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err())
        .contains("is not in the history of pruned: kubectl cdds history pruned lists its runs");
    assertThat(unconfirmed.exit()).isEqualTo(1);
    assertThat(unconfirmed.err())
        .isEqualTo(
            "error: deleting files asks for confirmation, and this is not a terminal: add"
                + " --yes\n");
    assertThat(overLimit.exit()).isEqualTo(1);
    assertThat(overLimit.err()).contains("at most 100 runs at once: 101 given");
    assertThat(annotations()).doesNotContainKey(RunDeletionRequest.ANNOTATION);
    assertThat(s3.keys("exports", "site/" + namespace + "/" + JOB + "/")).hasSize(6);
    assertThat(cdds("--help").out().replaceAll("\\s+", " "))
        .contains("`files delete NAME --run ID…` deletes runs");
    assertThat(cdds("files", "delete", "--help").out()).contains("--yes", "--wait", "up to 100");
  }

  @Test
  @Order(2)
  void onATerminalItAsksWhereTheFilesAreAndANoDeletesNothing() throws Exception {
    Path installed = Path.of(System.getProperty("cdds.operatorJar")).resolveSibling("kubectl-cdds");
    try (var terminal =
        TerminalSession.start(
            installed + " files delete " + JOB + " --run " + first + " -n " + namespace,
            Map.of("KUBECONFIG", controlPlane.kubeconfig().toString()))) {
      String prompt =
          "Delete the files and manifests of 1 run of pruned ("
              + first
              + ") from s3://exports/site/"
              + namespace
              + "/pruned/? This cannot be undone. [y/N]: ";
      terminal.awaitScreen(
          "the question", WAIT, s -> s.replace("\n", "").contains(prompt.stripTrailing()));
      terminal.typeLine("n");
      terminal.awaitScreen("the answer", WAIT, s -> s.contains("Nothing deleted."));
    }

    assertThat(annotations()).doesNotContainKey(RunDeletionRequest.ANNOTATION);
    assertThat(s3.keys("exports", "site/" + namespace + "/" + JOB + "/" + first + "/")).hasSize(2);
  }

  @Test
  @Order(3)
  void theOperatorDeletesExactlyTheRunsAskedForAndHistoryMarksThemDeleted() throws Exception {
    try (var operator =
        OperatorUnderTest.start(
            client, namespace, "files-delete", OperatorUnderTest.realExporter())) {
      // Without a Job behind it, the operator no longer shows the run as in progress.
      awaitStatus(j -> j.getStatus().currentRun == null);

      Result deleted =
          cdds("files", "delete", JOB, "--run", first, "--run", second, "--yes", "--wait");

      assertThat(deleted.exit()).as(deleted.err()).isZero();
      assertThat(deleted.out())
          .startsWith("exportjob.cdds.dev/pruned: deletion of 2 runs requested (")
          .endsWith("\n2 runs deleted\n");
      assertThat(s3.keys("exports", "site/" + namespace + "/" + JOB + "/"))
          .hasSize(2)
          .allSatisfy(key -> assertThat(key).contains("/" + kept + "/"));
      Result history = cdds("history", JOB);
      assertThat(history.out().lines())
          .anySatisfy(l -> assertThat(l).startsWith(first + " ").contains("Succeeded (deleted)"))
          .anySatisfy(l -> assertThat(l).startsWith(second + " ").contains("Succeeded (deleted)"))
          .anySatisfy(l -> assertThat(l).startsWith(kept + " ").doesNotContain("(deleted)"));
      assertThat(cdds("history", JOB, "--run", first).out())
          .contains("Result:    Succeeded, deleted: its files were deleted as asked");
      Result files = cdds("files", JOB);
      assertThat(files.out().lines().skip(1)).allSatisfy(l -> assertThat(l).startsWith(kept));
      assertThat(OperatorUnderTest.eventReasons(client, namespace, JOB))
          .filteredOn("RunFilesDeleted"::equals)
          .hasSize(2);

      Result again = cdds("files", "delete", JOB, "--run", first, "--yes");

      assertThat(again.exit()).isZero();
      assertThat(again.err()).isEqualTo("run " + first + ": its files were deleted already\n");
      assertThat(again.out()).isEqualTo("Nothing to delete.\n");
    }
  }

  @Test
  @Order(4)
  void aRunWhoseManifestNamesAnotherJobIsLeftAloneAndTheFailureIsSeenNotMarkedDeleted()
      throws Exception {
    String foreign =
        RunIds.of(JOB, Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(4)));
    try (ExportJobArchive archive = archive()) {
      PublishedRuns.write(
          archive, new RunTarget(namespace, "someone-else", foreign), List.of("part-00000.csv"));
    }
    var history = new ArrayList<>(job().get().getStatus().history);
    history.add(JSON.readValue(record(foreign), RunRecord.class));
    var status = new ExportJobStatus();
    status.history = history;
    job()
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            JSON.writeValueAsString(Map.of("status", status)));

    try (var operator =
        OperatorUnderTest.start(
            client, namespace, "files-delete-foreign", OperatorUnderTest.realExporter())) {
      Result refused =
          cdds("files", "delete", JOB, "--run", foreign, "--yes", "--wait", "--timeout", "2m");

      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err())
          .isEqualTo(
              "error: run "
                  + foreign
                  + " in s3://exports/site/"
                  + namespace
                  + "/pruned/ was left alone: its manifest says it is "
                  + namespace
                  + "/someone-else's (retried)\n");
      assertThat(s3.keys("exports", "site/" + namespace + "/" + JOB + "/" + foreign + "/"))
          .hasSize(2);
      assertThat(cdds("history", JOB, "--run", foreign).out()).doesNotContain("deleted");
    }
  }

  private ExportJobArchive archive() throws Exception {
    return S3Destinations.archive(job().get().getSpec().output.destination.s3, namespace, JOB);
  }

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static String record(String run) {
    return """
        {"id": "%s", "scheduledAt": "%s", "result": "Succeeded", "files": 1}"""
        .formatted(run, RunIds.scheduledAt(run).orElseThrow());
  }

  private Map<String, String> annotations() {
    var annotations = job().get().getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private void awaitStatus(Predicate<ExportJob> condition) {
    job()
        .waitUntilCondition(
            j -> j != null && j.getStatus() != null && condition.test(j), 60, TimeUnit.SECONDS);
  }

  private Resource<ExportJob> job() {
    return client.resources(ExportJob.class).inNamespace(namespace).withName(JOB);
  }

  private Result cdds(String... command) {
    return new InProcessPlugin(controlPlane.kubeconfig(), namespace).run(command);
  }
}
