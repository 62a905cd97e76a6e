package dev.cdds.operator.testing;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.FreePorts;
import dev.cdds.localcluster.OperatorProcess;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.reconciler.OperatorRuntime;
import dev.cdds.operator.reconciler.OperatorSettings;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.schedule.RunIds;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own namespace on the shared control plane, ready for ExportJobs (CRDs installed,
 * the source Secret, the default claim), and the operator running in this JVM watching it:
 *
 * <pre>
 * {@literal @}RegisterExtension
 * static final OperatorExtension cluster = OperatorExtension.running("reconciler");
 * </pre>
 *
 * Tests that start and stop operators themselves (restarts, leader election) take the namespace
 * alone with {@link #namespaceOnly}.
 */
public final class OperatorExtension implements BeforeAllCallback, AfterAllCallback {
  private final String prefix;
  private final Optional<OperatorSettings> settings;
  private ControlPlane controlPlane;
  private String namespace;
  private OperatorRuntime operator;

  private OperatorExtension(String prefix, Optional<OperatorSettings> settings) {
    this.prefix = prefix;
    this.settings = settings;
  }

  /** The operator with the test settings: export pods run {@link FakeExport}. */
  public static OperatorExtension running(String prefix) {
    return running(prefix, OperatorUnderTest.settings());
  }

  public static OperatorExtension running(String prefix, OperatorSettings settings) {
    return new OperatorExtension(prefix, Optional.of(settings));
  }

  public static OperatorExtension namespaceOnly(String prefix) {
    return new OperatorExtension(prefix, Optional.empty());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    controlPlane = ControlPlaneExtension.controlPlane(context);
    namespace = OperatorUnderTest.readyNamespace(controlPlane, prefix);
    if (settings.isPresent()) {
      operator = start(prefix, settings.get());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (operator != null) {
      operator.close();
    }
  }

  /** Another operator replica watching this namespace, under leader election. */
  public OperatorRuntime start(String identity, OperatorSettings settings) throws Exception {
    return OperatorUnderTest.start(client(), namespace, identity, settings);
  }

  public OperatorRuntime start(String identity) throws Exception {
    return start(identity, OperatorUnderTest.settings());
  }

  /**
   * A replica as its own process, from the built jar, with the test settings: one that can be
   * killed (SIGKILL) or frozen (SIGSTOP) as a real one can.
   */
  public OperatorProcess startProcess(String name) throws IOException {
    Path logs = Files.createDirectories(WorkDirectory.path().resolve("logs"));
    return OperatorProcess.start(
        Path.of(System.getProperty("cdds.operatorJar")),
        List.of(),
        List.of(
            "--export-image=" + FakeExport.IMAGE + ":test",
            "--namespaces=" + namespace,
            "--default-claim=" + OperatorUnderTest.CLAIM,
            "--backoff-limit=0",
            "--export-cpu-request=100m",
            "--export-memory=256Mi",
            "--leader-election-namespace=" + namespace,
            "--http-port=" + FreePorts.loopback()),
        controlPlane.kubeconfig(),
        logs.resolve(namespace + "_operator-" + name + ".log"),
        Map.of("POD_NAME", name));
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  public OperatorRuntime operator() {
    return operator;
  }

  public KubernetesClient client() {
    return controlPlane.client();
  }

  public String namespace() {
    return namespace;
  }

  public NonNamespaceOperation<ExportJob, KubernetesResourceList<ExportJob>, Resource<ExportJob>>
      jobs() {
    return client().resources(ExportJob.class).inNamespace(namespace);
  }

  /**
   * Starts the run of {@code exportJob} scheduled at {@code at} as the CronJob controller does: a
   * Job from the CronJob's template, owned by it, named for its scheduled minute. For scheduled
   * times a test chooses, past or future, without waiting for them.
   */
  public String startScheduledRun(String exportJob, Instant at) {
    CronJob cron = cronJobOf(exportJob).waitUntilCondition(c -> c != null, 60, TimeUnit.SECONDS);
    var template = cron.getSpec().getJobTemplate();
    String id = RunIds.of(exportJob, at);
    client()
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName(id)
                .withLabels(template.getMetadata().getLabels())
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("CronJob")
                        .withName(exportJob)
                        .withUid(cron.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build())
        .inNamespace(namespace)
        .create();
    return id;
  }

  /** The CronJob of an ExportJob of this namespace. */
  public Resource<CronJob> cronJobOf(String exportJob) {
    return client().batch().v1().cronjobs().inNamespace(namespace).withName(exportJob);
  }

  /** The run {@code id} of {@code exportJob} once it is in history. */
  public RunRecord awaitRun(String exportJob, String id) {
    return jobs()
        .withName(exportJob)
        .waitUntilCondition(
            j ->
                j.getStatus() != null
                    && j.getStatus().history != null
                    && j.getStatus().history.stream().anyMatch(r -> id.equals(r.id)),
            180,
            TimeUnit.SECONDS)
        .getStatus()
        .history
        .stream()
        .filter(r -> id.equals(r.id))
        .findFirst()
        .orElseThrow();
  }

  /** The Kubernetes Jobs of one ExportJob of this namespace: its runs and prune Jobs. */
  public FilterWatchListDeletable<Job, JobList, ScalableResource<Job>> kubernetesJobsOf(
      String exportJob) {
    return client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withLabel(ObjectLabels.EXPORT_JOB, exportJob);
  }

  /** The default claim's directory on the process node: where export pods write. */
  public Path claim() {
    return controlPlane.node().claimDirectory(namespace, OperatorUnderTest.CLAIM);
  }
}
