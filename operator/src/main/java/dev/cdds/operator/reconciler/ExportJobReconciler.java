package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.FieldManagers;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.runcontract.RunSummary;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.MDC;

/**
 * Turns each ExportJob into what runs it (a CronJob, or one Job for a one-time job) and keeps its
 * status true. Level-based: every reconciliation recomputes the desired objects and status from
 * what it observes, and writes only what differs. It never writes spec.
 */
// Called for every event, deletions too: only jobs that delete their data with them need a
// finalizer (DataDeletion), so JOSDK's own, on every job, is not wanted.
// Generation-aware processing would ignore a resume that changes only an annotation: the filter
// does the same job and lets that one through.
@ControllerConfiguration(
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    informer =
        @Informer(
            itemStore = LeanExportJobStore.class,
            onUpdateFilter = SpecOrRequestChanged.class,
            informerListLimit = ExportJobReconciler.LIST_PAGE),
    name = ExportJobReconciler.NAME,
    fieldManager = FieldManagers.OPERATOR)
public class ExportJobReconciler implements Reconciler<ExportJob> {
  public static final String NAME = "exportjob";

  /**
   * The informers' initial lists come in pages of this many objects: at 10,000 jobs a start never
   * holds one response of every job (and every CronJob) beside the cache being filled from it.
   */
  static final long LIST_PAGE = 500;

  private final OperatorSettings settings;
  private final Clock clock;
  private final ExportMetrics metrics;
  private final RecentReads reads;
  private final OwnedObjects ownedObjects;
  private final Admission admission;
  private final Notifier notifier = new Notifier();
  private final Notifications notifications;

  public ExportJobReconciler(OperatorSettings settings, Clock clock, MeterRegistry registry) {
    this.settings = settings;
    this.clock = clock;
    this.metrics = new ExportMetrics(registry, clock);
    this.reads = new RecentReads(settings.preconditionRecheck());
    this.ownedObjects = new OwnedObjects(settings);
    this.admission =
        new Admission(settings.maxConcurrentExportsPerSource(), settings.defaultJitter());
    this.notifications = new Notifications(notifier, settings.notifications(), registry);
  }

  @Override
  public List<EventSource<?, ExportJob>> prepareEventSources(
      EventSourceContext<ExportJob> context) {
    return List.of(
        informer(CronJob.class, context, Optional.of(new LeanCronJobStore())),
        informer(Job.class, context, Optional.empty()),
        // The exporter's identity: watched so that one deleted is restored at once.
        informer(ServiceAccount.class, context, Optional.of(new LeanStore<>())),
        informer(Role.class, context, Optional.of(new LeanStore<>())),
        informer(RoleBinding.class, context, Optional.of(new LeanStore<>())),
        // A notification's attempt ended: record it now, not at the next wake-up.
        notifier.eventSource());
  }

  /**
   * Jobs made by a CronJob are owned by it, not by us: all map back through our label, and an
   * object without it (labelled by someone else) maps to no job.
   */
  private static <R extends HasMetadata> InformerEventSource<R, ExportJob> informer(
      Class<R> type, EventSourceContext<ExportJob> context, Optional<ItemStore<R>> store) {
    var configuration =
        InformerEventSourceConfiguration.from(type, ExportJob.class)
            .withLabelSelector(ObjectLabels.SELECTOR)
            .withInformerListLimit(LIST_PAGE)
            .withSecondaryToPrimaryMapper(
                (R resource) ->
                    Optional.ofNullable(resource.getMetadata().getLabels())
                        .map(labels -> labels.get(ObjectLabels.EXPORT_JOB))
                        .map(
                            name ->
                                Set.of(new ResourceID(name, resource.getMetadata().getNamespace())))
                        .orElse(Set.of()));
    store.ifPresent(configuration::withItemStore);
    return new InformerEventSource<>(configuration.build(), context);
  }

  @Override
  public UpdateControl<ExportJob> reconcile(ExportJob job, Context<ExportJob> context) {
    if (context.isPrimaryResourceDeleted()) {
      ownedObjects.forget(job.getMetadata().getUid());
      notifier.forget(job.getMetadata().getUid());
      metrics.forget(job);
      return UpdateControl.noUpdate();
    }
    // Every log line of this reconciliation names its job (a field of its own in JSON logs).
    try (var exportJob = MDC.putCloseable("exportjob", job.getMetadata().getName());
        var namespace = MDC.putCloseable("namespace", job.getMetadata().getNamespace())) {
      if (job.isMarkedForDeletion()) {
        return job.hasFinalizer(DataDeletion.FINALIZER)
            ? DataDeletion.finish(job, context, settings, clock.instant(), events(context))
            : UpdateControl.noUpdate();
      }
      return reconcileSteps(DataDeletion.keepFinalizerInStep(job, context), context);
    }
  }

  /**
   * observe → check preconditions → apply owned objects → start due runs → let waiting runs start →
   * record finished and missed runs → retention → notify → announce → write status.
   */
  private UpdateControl<ExportJob> reconcileSteps(ExportJob job, Context<ExportJob> context) {
    KubernetesClient client = context.getClient();
    Observed observed = Observed.of(job, context, clock.instant());
    var check = new Preconditions(client, reads, settings).check(job, observed.now());
    var connections = check.connections();

    boolean cronJobApplied =
        connections.map(c -> ownedObjects.apply(observed, c, context)).orElse(false);
    Observed current =
        connections
            .flatMap(c -> OneTimeRun.startIfDue(observed, c, settings, client))
            .map(observed::withExportJob)
            .orElse(observed);
    var admitted = admission.admit(current, context, client);
    current = admitted.observed();
    Optional<Instant> pendingCheck =
        PendingRuns.failStuck(current, settings.pendingTimeout(), client);
    DueRuns due =
        connections.isPresent()
            ? DueRuns.of(current, cronJobApplied, settings.startingDeadline())
            : DueRuns.NONE;
    var outcome = DesiredStatus.compute(current, check.notReady(), due, j -> summary(client, j));
    Optional<Instant> expiry =
        RetentionCheck.apply(current, outcome.status(), connections, settings, client);
    Optional<Instant> nextNotification =
        notifications.apply(
            job, observed.previous(), outcome.status(), outcome.newRuns(), observed.now(), client);
    Announcer.announce(job, outcome.status(), outcome.newRuns(), events(context));
    StatusWriter.write(job, outcome.status(), context);
    outcome.newRuns().forEach(run -> metrics.finished(job, run));
    metrics.observe(job, outcome.status(), context.getPrimaryCache());

    // Wake up just after the next start (also when the controller skips it and creates nothing),
    // when a start that has not happened becomes Missed, when a run expires, when a run's pod
    // has waited too long to start, or when a notification is to be tried again; a job that
    // can't run looks at its preconditions again a while later.
    var wakeUp =
        check.notReady().isPresent()
            ? Wakeups.earliest(
                Optional.of(observed.now().plus(settings.preconditionRecheck())), nextNotification)
            : Wakeups.earliest(
                due.wakeUp(), expiry, pendingCheck, admitted.wakeUp(), nextNotification);
    return wakeUp
        .map(
            t ->
                UpdateControl.<ExportJob>noUpdate()
                    .rescheduleAfter(Duration.between(observed.now(), t).plusSeconds(1)))
        .orElse(UpdateControl.noUpdate());
  }

  private EventRecorder events(Context<ExportJob> context) {
    return new EventRecorder(context.getClient(), clock);
  }

  /**
   * The summary a finished Job's pod left as its termination message: its last pod's, or in a
   * partitioned run, partition 0's when the run is complete and the latest failed pod's that says
   * why when it is not.
   */
  private static Optional<RunSummary> summary(KubernetesClient client, Job job) {
    return RunPods.saying(client, job).stream()
        .flatMap(p -> p.getStatus().getContainerStatuses().stream().limit(1))
        .map(s -> s.getState().getTerminated())
        .flatMap(t -> RunSummary.parse(t == null ? null : t.getMessage()).stream())
        .findFirst();
  }
}
