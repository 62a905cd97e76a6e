package dev.cdds.operator.reconciler;

import static dev.cdds.operator.testing.ExportJobs.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.Kubectl;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobState;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.plugin.InProcessPlugin;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.schedule.ScheduleCron;
import dev.cdds.operator.testing.ExportJobs;
import dev.cdds.operator.testing.OperatorExtension;
import dev.cdds.operator.testing.OperatorUnderTest;
import dev.cdds.operator.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator against the real control plane; export pods run as local processes. */
@Order(2)
class ExportJobReconcilerIT {
  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.running("reconciler");

  @AfterEach
  void clearMarkers() throws Exception {
    for (String marker : new String[] {"hold", "release", "fail"}) {
      Files.deleteIfExists(output().resolve(marker));
    }
  }

  @Test
  void dailyJobGetsACronJobThatRunsItSafely() {
    Instant before = Instant.now();
    var daily = ExportJobs.daily("daily-paris", "02:00", "Europe/Paris");
    cluster.jobs().resource(daily).create();

    ExportJob ready = await("daily-paris", j -> hasCondition(j, "Ready", "True", null));
    CronJob cronJob =
        cluster
            .client()
            .batch()
            .v1()
            .cronjobs()
            .inNamespace(cluster.namespace())
            .withName("daily-paris")
            .get();

    assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 2 * * *");
    assertThat(cronJob.getSpec().getTimeZone()).isEqualTo("Europe/Paris");
    assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cronJob.getSpec().getSuspend()).isFalse();
    assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).isEqualTo(3600);
    assertThat(cronJob.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid()));
    assertThat(cronJob.getMetadata().getLabels())
        .containsEntry("cdds.dev/exportjob", "daily-paris")
        .containsEntry("app.kubernetes.io/managed-by", "cdds-operator");
    var pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getArgs()).containsExactly("export");
    assertThat(pod.getServiceAccountName()).isEqualTo("cdds-export-daily-paris");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(Serialization.asJson(cronJob)).doesNotContain(OperatorUnderTest.SOURCE_PASSWORD);
    assertThat(
            container.getEnv().stream()
                .filter(e -> e.getName().equals("CDDS_SOURCE_PASSWORD"))
                .findFirst()
                .orElseThrow()
                .getValueFrom()
                .getSecretKeyRef()
                .getName())
        .isEqualTo("cdds-source-contacthistory");

    var role =
        cluster
            .client()
            .rbac()
            .roles()
            .inNamespace(cluster.namespace())
            .withName("cdds-export-daily-paris")
            .get();
    // Its own ExportJob only: read it (where the last window ended), patch its status.
    assertThat(role.getRules())
        .hasSize(2)
        .allSatisfy(rule -> assertThat(rule.getResourceNames()).containsExactly("daily-paris"))
        .anySatisfy(
            rule -> {
              assertThat(rule.getResources()).containsExactly("exportjobs/status");
              assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "patch");
            })
        .anySatisfy(
            rule -> {
              assertThat(rule.getResources()).containsExactly("exportjobs");
              assertThat(rule.getVerbs()).containsExactly("get");
            });

    assertThat(ready.getStatus().state).isEqualTo(ExportJobState.Scheduled);
    // The schedule's own next time from when the job was reconciled, whatever today's date: on
    // the Saturday before the last Sunday of March, Sunday 02:00 does not exist in Paris.
    var cron = ScheduleCron.of(daily.getSpec().schedule);
    Instant after = Instant.now();
    assertThat(Instant.parse(ready.getStatus().nextStartsAt))
        .isIn(
            cron.expression().next(before, cron.zone()).orElseThrow(),
            cron.expression().next(after, cron.zone()).orElseThrow());
  }

  @Test
  void theCronJobIsRestoredWhenDeletedOrEditedByHand() {
    cluster.jobs().resource(ExportJobs.daily("cron-kept", "04:20", "UTC")).create();
    var cron = cluster.cronJobOf("cron-kept");
    String uid =
        cron.waitUntilCondition(c -> c != null, 30, TimeUnit.SECONDS).getMetadata().getUid();

    cron.delete();
    CronJob recreated =
        cron.waitUntilCondition(
            c -> c != null && !c.getMetadata().getUid().equals(uid), 30, TimeUnit.SECONDS);
    String schedule = recreated.getSpec().getSchedule();

    // Someone changes the schedule and the export pods' image: both are put back.
    cron.edit(
        c -> {
          c.getSpec().setSchedule("0 0 * * *");
          exportContainer(c).setImage("example.com/not-ours:1");
          return c;
        });
    CronJob restored =
        cron.waitUntilCondition(
            c ->
                c.getSpec().getSchedule().equals(schedule)
                    && !exportContainer(c).getImage().startsWith("example.com"),
            30,
            TimeUnit.SECONDS);
    assertThat(restored.getMetadata().getAnnotations()).containsKey("cdds.dev/applied-hash");
  }

  @Test
  void theExportersServiceAccountRoleAndBindingAreRestoredWhenDeleted() {
    cluster.jobs().resource(ExportJobs.daily("restored", "03:15", "UTC")).create();
    var rbac = cluster.client().rbac();
    var binding =
        rbac.roleBindings().inNamespace(cluster.namespace()).withName("cdds-export-restored");
    var role = rbac.roles().inNamespace(cluster.namespace()).withName("cdds-export-restored");
    var account = exporterAccount("restored");
    String bindingUid =
        binding.waitUntilCondition(b -> b != null, 30, TimeUnit.SECONDS).getMetadata().getUid();
    String roleUid = role.get().getMetadata().getUid();
    String accountUid = account.get().getMetadata().getUid();

    binding.delete();
    role.delete();
    account.delete();

    for (var restored : List.of(binding, role, account)) {
      restored.waitUntilCondition(
          o ->
              o != null
                  && !List.of(bindingUid, roleUid, accountUid).contains(o.getMetadata().getUid()),
          30,
          TimeUnit.SECONDS);
    }
    // And a Role someone widened is put back as it was.
    role.edit(
        r -> {
          r.getRules().get(0).getVerbs().add("delete");
          return r;
        });
    role.waitUntilCondition(
        r -> r.getRules().stream().noneMatch(rule -> rule.getVerbs().contains("delete")),
        30,
        TimeUnit.SECONDS);
  }

  @Test
  void aServiceAccountOfTheExportersNameMadeByHandBecomesTheJobs() {
    var account = exporterAccount("taken");
    account.create(
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName("cdds-export-taken")
            .endMetadata()
            .build());

    cluster.jobs().resource(ExportJobs.daily("taken", "03:45", "UTC")).create();

    await("taken", j -> hasCondition(j, "Ready", "True", null));
    var taken = account.get();
    assertThat(taken.getMetadata().getLabels()).containsEntry(ObjectLabels.EXPORT_JOB, "taken");
    assertThat(taken.getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getName)
        .containsExactly("taken");
  }

  @Test
  void missingSourceSecretIsReportedBeforeAnyPodAndClearedOnceCreated() {
    var job = ExportJobs.daily("no-secret", "03:00", "UTC");
    job.getSpec().source.secretRef = new dev.cdds.operator.api.SecretReference("warehouse-db");
    cluster.jobs().resource(job).create();

    ExportJob notReady =
        await("no-secret", j -> hasCondition(j, "Ready", "False", "SourceSecretMissing"));

    assertThat(ExportJobs.condition(notReady, "Ready").orElseThrow().message)
        .contains("Secret warehouse-db not found")
        .contains("url, user, password");
    assertThat(
            cluster
                .client()
                .batch()
                .v1()
                .cronjobs()
                .inNamespace(cluster.namespace())
                .withName("no-secret")
                .get())
        .isNull();
    assertThat(eventReasons("no-secret")).contains("SourceSecretMissing");

    cluster
        .client()
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("warehouse-db")
                .endMetadata()
                .withStringData(java.util.Map.of("url", "u", "user", "u", "password", "p"))
                .build())
        .inNamespace(cluster.namespace())
        .create();

    await("no-secret", j -> hasCondition(j, "Ready", "True", null));
    assertThat(
            cluster
                .client()
                .batch()
                .v1()
                .cronjobs()
                .inNamespace(cluster.namespace())
                .withName("no-secret")
                .get())
        .isNotNull();
  }

  @Test
  void anExpiredEncryptionCertificateStopsTheJobUntilReplaced() throws Exception {
    Path keys = output().resolveSibling("keys-" + cluster.namespace());
    Instant now = Instant.now();
    var expired =
        TestCertificates.rsa(
            keys, "old-recipient", 2048, now.minus(Duration.ofDays(400)), now.minusSeconds(60));
    var secret =
        new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata()
            .withName("recipient")
            .endMetadata()
            .withStringData(java.util.Map.of("tls.crt", expired.certificatePem()))
            .build();
    cluster.client().resource(secret).inNamespace(cluster.namespace()).create();
    var job = ExportJobs.daily("sealed", "04:00", "UTC");
    job.getSpec().output = new dev.cdds.operator.api.Output();
    job.getSpec().output.encryption = new dev.cdds.operator.api.OutputEncryption();
    job.getSpec().output.encryption.certificateSecretRef =
        new dev.cdds.operator.api.SecretReference("recipient");
    cluster.jobs().resource(job).create();

    ExportJob notReady =
        await("sealed", j -> hasCondition(j, "Ready", "False", "InvalidEncryptionCertificate"));

    assertThat(ExportJobs.condition(notReady, "Ready").orElseThrow().message)
        .startsWith(
            "spec.output.encryption: the certificate in Secret recipient key tls.crt of"
                + " CN=old-recipient,O=cdds test expired at ");
    assertThat(cronJob("sealed")).isNull();
    assertThat(eventReasons("sealed")).contains("InvalidEncryptionCertificate");

    var current = TestCertificates.rsa(keys, "new-recipient");
    secret.setStringData(java.util.Map.of("tls.crt", current.certificatePem()));
    cluster.client().resource(secret).inNamespace(cluster.namespace()).update();

    await("sealed", j -> hasCondition(j, "Ready", "True", null));
    var env = cronJob("sealed").getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(env.getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("CDDS_ENCRYPTION_CERTIFICATE"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("recipient");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("tls.crt");
            });
  }

  @Test
  void suspendStopsTheCronJobAndResumeRecomputesTheNextRun() {
    cluster.jobs().resource(ExportJobs.daily("slider", "04:30", "UTC")).create();
    await("slider", j -> hasCondition(j, "Ready", "True", null));

    cluster.jobs().withName("slider").edit(j -> suspend(j, true));
    ExportJob suspended = await("slider", j -> hasCondition(j, "Suspended", "True", null));

    assertThat(suspended.getStatus().state).isEqualTo(ExportJobState.Suspended);
    assertThat(suspended.getStatus().nextStartsAt).isNull();
    assertThat(cronJob("slider").getSpec().getSuspend()).isTrue();

    cluster.jobs().withName("slider").edit(j -> suspend(j, false));
    ExportJob resumed = await("slider", j -> hasCondition(j, "Suspended", "False", null));

    assertThat(resumed.getStatus().nextStartsAt).endsWith("T04:30:00Z");
    assertThat(cronJob("slider").getSpec().getSuspend()).isFalse();
  }

  @Test
  void editingAScheduledJobUpdatesItsCronJobInPlace() {
    ExportJob partitioned = ExportJobs.daily("edited", "05:00", "UTC");
    partitioned.getSpec().output = new Output();
    partitioned.getSpec().output.parallelism = 2;
    cluster.jobs().resource(partitioned).create();
    await("edited", j -> hasCondition(j, "Ready", "True", null));
    CronJob before = cronJob("edited");
    assertThat(before.getSpec().getJobTemplate().getSpec().getCompletionMode())
        .isEqualTo("Indexed");

    // Back to one stream: what only partitions had leaves the CronJob with them.
    cluster
        .jobs()
        .withName("edited")
        .edit(
            j -> {
              j.getSpec().schedule.time = "06:15";
              j.getSpec().output.parallelism = 1;
              return j;
            });

    CronJob after =
        cluster
            .cronJobOf("edited")
            .waitUntilCondition(
                c -> "15 6 * * *".equals(c.getSpec().getSchedule()), 30, TimeUnit.SECONDS);
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    var runs = after.getSpec().getJobTemplate().getSpec();
    assertThat(runs.getCompletionMode()).isNull();
    assertThat(runs.getParallelism()).isNull();
    assertThat(runs.getPodFailurePolicy()).isNull();
    assertThat(runs.getBackoffLimitPerIndex()).isNull();
    await("edited", j -> j.getStatus().nextStartsAt.endsWith("T06:15:00Z"));
  }

  @Test
  void oneTimeJobRunsReportsProgressAndEndsSuspended() throws Exception {
    Files.writeString(marker("hold"), "");
    cluster.jobs().resource(ExportJobs.once("once-now")).create();

    ExportJob running =
        await(
            "once-now",
            j ->
                j.getStatus().currentRun != null
                    && Integer.valueOf(50).equals(j.getStatus().currentRun.progress));
    assertThat(running.getStatus().state).isEqualTo(ExportJobState.Running);
    assertThat(running.getStatus().currentRun.recordsTotal).isEqualTo(42);
    assertThat(running.getStatus().currentRun.startedAt).isNotNull();
    assertThat(
            new Kubectl(cluster.controlPlane())
                .run("get", "ej", "once-now", "-n", cluster.namespace())
                .stdout())
        .containsPattern(
            "once-now\\s+Test once-now\\s+ContactHistory\\s+Interaction\\s+Once\\s+Running\\s+50");

    Files.writeString(marker("release"), "");
    ExportJob done = await("once-now", j -> j.getStatus().history != null);

    assertThat(done.getStatus().history)
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.result).isEqualTo(RunResult.Succeeded);
              assertThat(run.records).isEqualTo(42);
              assertThat(run.files).isEqualTo(1);
              assertThat(run.attempts).isEqualTo(1);
              assertThat(run.manifest).endsWith("manifest.json");
              assertThat(run.id).isEqualTo(running.getStatus().currentRun.id);
            });
    assertThat(done.getStatus().currentRun).isNull();
    assertThat(done.getStatus().state).isEqualTo(ExportJobState.Suspended);
    assertThat(hasCondition(done, "Suspended", "True", "OneTimeJobStarted")).isTrue();
    assertThat(eventReasons("once-now")).contains("RunStarted", "RunSucceeded");
    assertThat(cluster.operator().scrape())
        .containsPattern(
            "cdds_export_runs_total\\{[^}]*exportjob=\"once-now\"[^}]*result=\"Succeeded\"[^}]*\\} 1\\.0")
        .containsPattern("cdds_export_records_total\\{[^}]*exportjob=\"once-now\"[^}]*\\} 42\\.0")
        .contains("cdds_export_run_duration_seconds_bucket")
        .containsPattern("cdds_exportjobs\\{[^}]*state=\"Suspended\"[^}]*\\} [1-9]");
  }

  @Test
  void aOneTimeJobWhoseStartAtIsLongPastRunsNowAndKeepsItsOutputFromThen() {
    // A clone of a job that ran 40 days ago, past the default retention of 30 days.
    var job = ExportJobs.once("cloned-old");
    job.getSpec().schedule.startAt =
        Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS).toString();
    ExportJob created = cluster.jobs().resource(job).create();

    ExportJob done = await("cloned-old", j -> j.getStatus().history != null);

    var run = done.getStatus().history.get(0);
    assertThat(run.result).as(run.message).isEqualTo(RunResult.Succeeded);
    assertThat(run.scheduledAt)
        .as("named and kept from when it was created")
        .isEqualTo(
            Instant.parse(created.getMetadata().getCreationTimestamp())
                .truncatedTo(ChronoUnit.MINUTES)
                .toString());
    assertThat(run.expired).isNull();
    // The reconcile that recorded the run also decided retention: no prune Job was started.
    assertThat(
            cluster
                .kubernetesJobsOf("cloned-old")
                .withLabel("app.kubernetes.io/component", "prune")
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void oneTimeJobWithAStartTimeWaitsForIt() {
    Instant startAt = Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.SECONDS);
    var job = ExportJobs.once("once-later");
    job.getSpec().schedule.startAt = startAt.toString();
    cluster.jobs().resource(job).create();

    ExportJob waiting = await("once-later", j -> j.getStatus().nextStartsAt != null);
    assertThat(waiting.getStatus().state).isEqualTo(ExportJobState.Scheduled);
    assertThat(waiting.getStatus().nextStartsAt).isEqualTo(startAt.toString());
    assertThat(cluster.kubernetesJobsOf("once-later").list().getItems()).isEmpty();

    ExportJob ran = await("once-later", j -> j.getStatus().history != null);

    assertThat(Instant.parse(ran.getStatus().history.get(0).startedAt)).isAfterOrEqualTo(startAt);
    assertThat(ran.getStatus().history.get(0).id)
        .isEqualTo(RunIds.of("once-later", startAt.truncatedTo(ChronoUnit.MINUTES)));
    assertThat(ran.getStatus().nextStartsAt).isNull();
  }

  @Test
  void aCloneIsANewJobWithItsOwnHistory() {
    cluster.jobs().resource(ExportJobs.once("original")).create();
    ExportJob original = await("original", j -> j.getStatus().history != null);
    var clone = new ExportJob();
    clone.getMetadata().setName("copy");
    clone.setSpec(original.getSpec());
    clone.getSpec().title = "Copy of " + original.getSpec().title;

    cluster.jobs().resource(clone).create();
    ExportJob copy = await("copy", j -> j.getStatus().history != null);

    assertThat(copy.getStatus().history)
        .singleElement()
        .satisfies(r -> assertThat(r.id).startsWith("copy-"));
    assertThat(cluster.jobs().withName("original").get().getStatus().history).hasSize(1);
  }

  @Test
  void failedRunIsRecordedWithThePodsReason() throws Exception {
    Files.writeString(marker("fail"), "");
    cluster.jobs().resource(ExportJobs.once("once-fails")).create();

    ExportJob failed = await("once-fails", j -> j.getStatus().history != null);

    assertThat(failed.getStatus().history)
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.result).isEqualTo(RunResult.Failed);
              assertThat(run.message).isEqualTo("the source database refused the query");
            });
    assertThat(eventReasons("once-fails")).contains("RunFailed");
  }

  @Test
  void deletionIsRefusedWhileRunningAndCleansUpAfterwards() throws Exception {
    Files.writeString(marker("hold"), "");
    cluster.jobs().resource(ExportJobs.once("busy")).create();
    await("busy", j -> j.getStatus().currentRun != null);
    var kubectl = new Kubectl(cluster.controlPlane());

    var refused = kubectl.run("delete", "exportjob", "busy", "-n", cluster.namespace());

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr())
        .contains("has a run in progress")
        .contains("kubectl delete job busy-");

    Files.writeString(marker("release"), "");
    await("busy", j -> j.getStatus().history != null && j.getStatus().currentRun == null);
    var deleted =
        kubectl.run("delete", "exportjob", "busy", "-n", cluster.namespace(), "--wait=true");

    assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
    for (var kind : new String[] {"job", "serviceaccount", "role", "rolebinding"}) {
      assertThat(
              kubectl
                  .run(
                      "wait",
                      "--for=delete",
                      kind,
                      "-l",
                      "cdds.dev/exportjob=busy",
                      "-n",
                      cluster.namespace(),
                      "--timeout=60s")
                  .exitCode())
          .as("%s of busy removed by the garbage collector", kind)
          .isZero();
    }
  }

  @Test
  void aRunLongerThanItsRunTimeoutIsStoppedAndRecordedDeadlineExceeded() throws Exception {
    Files.writeString(marker("hold"), "");
    var job = ExportJobs.once("overtime");
    job.getSpec().runTimeout = "15s";
    cluster.jobs().resource(job).create();
    await("overtime", j -> j.getStatus().currentRun != null);

    ExportJob ended = await("overtime", j -> j.getStatus().history != null);

    var run = ended.getStatus().history.get(0);
    assertThat(run.result).isEqualTo(RunResult.Failed);
    assertThat(run.reason).isEqualTo("DeadlineExceeded");
    assertThat(run.message).contains("spec.runTimeout (15s)");
    assertThat(ended.getStatus().currentRun).isNull();
    assertThat(OperatorUnderTest.eventReasons(cluster.client(), cluster.namespace(), "overtime"))
        .contains("RunFailed");
    // Nothing runs any more: the job can be deleted.
    var deleted =
        new Kubectl(cluster.controlPlane())
            .run("delete", "exportjob", "overtime", "-n", cluster.namespace(), "--wait=true");
    assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
  }

  @Test
  void consecutiveFailuresSuspendTheJobUntilResumedAndASuccessStartsTheCountAgain()
      throws Exception {
    var job = ExportJobs.daily("flaky", "06:45", "UTC");
    job.getSpec().suspendAfterFailures = 2;
    cluster.jobs().resource(job).create();
    Instant first = Instant.now().minus(Duration.ofDays(5)).truncatedTo(ChronoUnit.MINUTES);
    var plugin = new InProcessPlugin(cluster.controlPlane().kubeconfig(), cluster.namespace());

    // fail, succeed, fail: a success in between, so not suspended.
    Files.writeString(marker("fail"), "");
    cluster.awaitRun("flaky", cluster.startScheduledRun("flaky", first));
    Files.delete(marker("fail"));
    cluster.awaitRun("flaky", cluster.startScheduledRun("flaky", first.plus(Duration.ofDays(1))));
    Files.writeString(marker("fail"), "");
    cluster.awaitRun("flaky", cluster.startScheduledRun("flaky", first.plus(Duration.ofDays(2))));
    assertThat(cluster.jobs().withName("flaky").get().getStatus().state)
        .isEqualTo(ExportJobState.Failed);

    // A second failure in a row: suspended, by a condition and the CronJob, not the spec.
    cluster.awaitRun("flaky", cluster.startScheduledRun("flaky", first.plus(Duration.ofDays(3))));
    ExportJob suspended =
        await("flaky", j -> ExportJobs.hasCondition(j, "Suspended", "True", null));
    var condition = ExportJobs.condition(suspended, "Suspended").orElseThrow();
    assertThat(condition.reason).isEqualTo("SuspendedAfterFailures");
    assertThat(condition.message)
        .contains("the last 2 runs failed", "kubectl cdds resume flaky", "refused the query");
    assertThat(suspended.getSpec().suspend).isFalse();
    assertThat(suspended.getStatus().state).isEqualTo(ExportJobState.Suspended);
    assertThat(suspended.getStatus().nextStartsAt).isNull();
    var cronJob =
        cluster.client().batch().v1().cronjobs().inNamespace(cluster.namespace()).withName("flaky");
    cronJob.waitUntilCondition(c -> c.getSpec().getSuspend(), 30, TimeUnit.SECONDS);
    assertThat(OperatorUnderTest.eventReasons(cluster.client(), cluster.namespace(), "flaky"))
        .contains("Suspended");

    var resumed = plugin.run("resume", "flaky");

    assertThat(resumed.exit()).as(resumed.err()).isZero();
    ExportJob running = await("flaky", j -> ExportJobs.hasCondition(j, "Suspended", "False", null));
    assertThat(running.getStatus().nextStartsAt).isNotNull();
    cronJob.waitUntilCondition(c -> !c.getSpec().getSuspend(), 30, TimeUnit.SECONDS);
    // The failures before the resume no longer count: one more is not enough.
    cluster.awaitRun("flaky", cluster.startScheduledRun("flaky", first.plus(Duration.ofDays(4))));
    assertThat(ExportJobs.condition(cluster.jobs().withName("flaky").get(), "Suspended"))
        .hasValueSatisfying(c -> assertThat(c.status).isEqualTo("False"));
  }

  @Test
  void theForceDeleteAnnotationLetsARunningJobGo() throws Exception {
    Files.writeString(marker("hold"), "");
    cluster.jobs().resource(ExportJobs.once("stuck")).create();
    await("stuck", j -> j.getStatus().currentRun != null);
    var kubectl = new Kubectl(cluster.controlPlane());
    assertThat(kubectl.run("delete", "exportjob", "stuck", "-n", cluster.namespace()).exitCode())
        .as("refused without the annotation")
        .isNotZero();

    var annotated =
        kubectl.run(
            "annotate",
            "exportjob",
            "stuck",
            "cdds.dev/force-delete=true",
            "-n",
            cluster.namespace());
    var deleted =
        kubectl.run("delete", "exportjob", "stuck", "-n", cluster.namespace(), "--wait=true");

    assertThat(annotated.exitCode()).as(annotated.stderr()).isZero();
    assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
    assertThat(cluster.jobs().withName("stuck").get()).isNull();
    // Its running Job goes with it (owner reference), so nothing keeps exporting.
    assertThat(
            kubectl
                .run(
                    "wait",
                    "--for=delete",
                    "job",
                    "-l",
                    "cdds.dev/exportjob=stuck",
                    "-n",
                    cluster.namespace(),
                    "--timeout=60s")
                .exitCode())
        .isZero();
  }

  @Test
  void deletingTheRunningJobRecordsACancelledRun() throws Exception {
    Files.writeString(marker("hold"), "");
    cluster.jobs().resource(ExportJobs.once("cancelled")).create();
    String run =
        await("cancelled", j -> j.getStatus().currentRun != null).getStatus().currentRun.id;

    cluster.client().batch().v1().jobs().inNamespace(cluster.namespace()).withName(run).delete();

    ExportJob after = await("cancelled", j -> j.getStatus().history != null);
    assertThat(after.getStatus().history)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.id).isEqualTo(run);
              assertThat(r.result).isEqualTo(RunResult.Cancelled);
            });
    assertThat(after.getStatus().currentRun).isNull();
    assertThat(after.getStatus().state).isEqualTo(ExportJobState.Suspended);
    // A one-time job whose run was cancelled is not started a second time.
    assertThat(cluster.kubernetesJobsOf("cancelled").list().getItems()).isEmpty();
  }

  @Test
  void dailyJobIsStartedByTheRealCronJobControllerAtItsTime() {
    Instant at =
        Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    String time = at.atZone(ZoneId.of("UTC")).toLocalTime().toString();
    cluster.jobs().resource(ExportJobs.daily("next-minute", time, "UTC")).create();

    ExportJob ran =
        cluster
            .client()
            .resources(ExportJob.class)
            .inNamespace(cluster.namespace())
            .withName("next-minute")
            .waitUntilCondition(
                j -> j != null && j.getStatus() != null && j.getStatus().history != null,
                150,
                TimeUnit.SECONDS);

    assertThat(ran.getStatus().history)
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.result).isEqualTo(RunResult.Succeeded);
              assertThat(run.scheduledAt).isEqualTo(at.toString());
              assertThat(run.id).isEqualTo(RunIds.of("next-minute", at));
            });
    assertThat(ran.getStatus().lastStartedAt).isNotNull();
    assertThat(Instant.parse(ran.getStatus().nextStartsAt)).isEqualTo(at.plus(1, ChronoUnit.DAYS));
  }

  private static ExportJob suspend(ExportJob job, boolean suspend) {
    job.getSpec().suspend = suspend;
    return job;
  }

  private static Container exportContainer(CronJob cronJob) {
    return cronJob
        .getSpec()
        .getJobTemplate()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private CronJob cronJob(String name) {
    return cluster.cronJobOf(name).get();
  }

  /** The ServiceAccount export pods of {@code exportJob} run as. */
  private Resource<ServiceAccount> exporterAccount(String exportJob) {
    return cluster
        .client()
        .serviceAccounts()
        .inNamespace(cluster.namespace())
        .withName("cdds-export-" + exportJob);
  }

  private java.util.List<String> eventReasons(String name) {
    return OperatorUnderTest.eventReasons(cluster.client(), cluster.namespace(), name);
  }

  /** A file in the claim the fake export reads its orders from. */
  private Path marker(String name) throws java.io.IOException {
    return Files.createDirectories(output()).resolve(name);
  }

  private Path output() {
    return cluster
        .controlPlane()
        .node()
        .claimDirectory(cluster.namespace(), OperatorUnderTest.CLAIM);
  }

  private ExportJob await(String name, Predicate<ExportJob> condition) {
    return cluster
        .jobs()
        .withName(name)
        .waitUntilCondition(
            j -> j != null && j.getStatus() != null && condition.test(j), 90, TimeUnit.SECONDS);
  }
}
