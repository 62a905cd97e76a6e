package dev.cdds.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cdds.localcluster.ControlPlane;
import dev.cdds.localcluster.TestNamespaces;
import dev.cdds.operator.testing.ControlPlaneExtension;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The seed documents' rule: a one-time job can be edited until its run starts, then never. */
@ExtendWith(ControlPlaneExtension.class)
class OneTimeJobChangesIT {
  private static final String STARTED = "2026-11-23T10:00:00Z";

  private final ControlPlane controlPlane;
  private final KubernetesClient client;
  private NonNamespaceOperation<ExportJob, KubernetesResourceList<ExportJob>, Resource<ExportJob>>
      jobs;

  OneTimeJobChangesIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.client();
  }

  @BeforeEach
  void setUp() throws IOException {
    controlPlane.installCrds();
    String namespace = TestNamespaces.create(client, "once");
    jobs = client.resources(ExportJob.class).inNamespace(namespace);
  }

  @Test
  void oneTimeJobCanBeEditedBeforeItStarts() {
    jobs.resource(job("pending", RunMode.Once)).create();

    var edited = jobs.withName("pending").edit(j -> retitled(j, "Edited before start"));

    assertThat(edited.getSpec().title).isEqualTo("Edited before start");
  }

  @Test
  void startedOneTimeJobRefusesAnyChangeToItsSpec() {
    jobs.resource(job("started", RunMode.Once)).create();
    markStarted("started");

    var retitle =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> jobs.withName("started").edit(j -> retitled(j, "Too late")));
    var resume =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                jobs.withName("started")
                    .edit(
                        j -> {
                          j.getSpec().suspend = true;
                          return j;
                        }));

    for (var refusal : new KubernetesClientException[] {retitle, resume}) {
      assertThat(refusal).isNotNull();
      assertThat(refusal.getCode()).isEqualTo(422);
      assertThat(refusal.getStatus().getMessage())
          .contains("spec: Invalid value")
          .contains("one-time jobs can't be changed once started");
    }
    assertThat(jobs.withName("started").get().getSpec().title).isEqualTo("Original");
  }

  @Test
  void startedOneTimeJobStillTakesLabelsAndStatus() {
    jobs.resource(job("labelled", RunMode.Once)).create();
    markStarted("labelled");

    var labelled =
        jobs.withName("labelled")
            .edit(
                j -> {
                  j.getMetadata().getLabels().put("team", "billing");
                  return j;
                });
    var reported =
        jobs.withName("labelled")
            .editStatus(
                j -> {
                  j.getStatus().state = ExportJobState.Completed;
                  return j;
                });

    assertThat(labelled.getMetadata().getLabels()).containsEntry("team", "billing");
    assertThat(reported.getStatus().state).isEqualTo(ExportJobState.Completed);
  }

  @Test
  void startedScheduledJobStaysEditable() {
    jobs.resource(job("daily", RunMode.Daily)).create();
    markStarted("daily");

    var edited = jobs.withName("daily").edit(j -> retitled(j, "Still editable"));

    assertThat(edited.getSpec().title).isEqualTo("Still editable");
  }

  private void markStarted(String name) {
    jobs.withName(name)
        .editStatus(
            j -> {
              j.setStatus(new ExportJobStatus());
              j.getStatus().lastStartedAt = STARTED;
              j.getStatus().state = ExportJobState.Running;
              return j;
            });
  }

  private static ExportJob retitled(ExportJob job, String title) {
    job.getSpec().title = title;
    return job;
  }

  private static ExportJob job(String name, RunMode run) {
    var job = new ExportJob();
    job.getMetadata().setName(name);
    job.getMetadata().setLabels(new java.util.HashMap<>());
    var spec = new ExportJobSpec();
    spec.title = "Original";
    spec.source = new Source();
    spec.source.system = "ContactHistory";
    spec.source.type = SourceType.Contact;
    spec.schedule = new Schedule();
    spec.schedule.run = run;
    if (run == RunMode.Daily) {
      spec.schedule.time = "02:00";
    }
    job.setSpec(spec);
    return job;
  }
}
