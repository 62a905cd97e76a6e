package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobStatus;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.exporter.RunSummary;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns each ExportJob into what runs it (a CronJob, or one Job for a one-time job) and keeps its
 * status true. Level-based: every reconciliation recomputes the desired objects and status from
 * what it observes, and writes only what differs. It never writes spec.
 */
// Called for every event, deletions too: only jobs that delete their data with them need a
// finalizer (DataDeletion), so JOSDK's own, on every job, is not wanted.
@ControllerConfiguration(
    triggerReconcilerOnAllEvents = true,
    informer = @Informer(itemStore = LeanExportJobStore.class),
    name = ExportJobReconciler.NAME,
    fieldManager = ExportJobReconciler.FIELD_MANAGER)
public class ExportJobReconciler implements Reconciler<ExportJob> {
  public static final String NAME = "exportjob";
  public static final String FIELD_MANAGER = "cdds-operator";
  private static final Logger LOG = LoggerFactory.getLogger(ExportJobReconciler.class);
  private static final int JOBS_KEPT = 3;

  private final OperatorSettings settings;
  private final Clock clock;
  private final ExportMetrics metrics;
  private final RecentChecks recentChecks;

  /** ExportJobs (by uid) whose exporter ServiceAccount was applied since this process started. */
  private final Set<String> accessApplied = ConcurrentHashMap.newKeySet();

  public ExportJobReconciler(
      OperatorSettings settings,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry registry) {
    this.settings = settings;
    this.clock = clock;
    this.metrics = new ExportMetrics(registry, clock);
    this.recentChecks = new RecentChecks(settings);
  }

  @Override
  public List<EventSource<?, ExportJob>> prepareEventSources(
      EventSourceContext<ExportJob> context) {
    return List.of(informer(CronJob.class, context), informer(Job.class, context));
  }

  /** Jobs made by a CronJob are owned by it, not by us: both map back through our label. */
  private static <R extends HasMetadata> InformerEventSource<R, ExportJob> informer(
      Class<R> type, EventSourceContext<ExportJob> context) {
    var configuration =
        InformerEventSourceConfiguration.from(type, ExportJob.class)
            .withLabelSelector(ObjectLabels.SELECTOR)
            .withSecondaryToPrimaryMapper(
                (R resource) ->
                    Set.of(
                        new ResourceID(
                            resource.getMetadata().getLabels().get(ObjectLabels.EXPORT_JOB),
                            resource.getMetadata().getNamespace())))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  @Override
  public UpdateControl<ExportJob> reconcile(ExportJob job, Context<ExportJob> context) {
    if (context.isPrimaryResourceDeleted()) {
      accessApplied.remove(job.getMetadata().getUid());
      recentChecks.forget(job.getMetadata().getUid());
      metrics.forget(job);
      return UpdateControl.noUpdate();
    }
    // Every log line of this reconciliation names its job (a field of its own in JSON logs).
    try (var exportJob = MDC.putCloseable("exportjob", job.getMetadata().getName());
        var namespace = MDC.putCloseable("namespace", job.getMetadata().getNamespace())) {
      if (job.isMarkedForDeletion()) {
        return job.hasFinalizer(DataDeletion.FINALIZER)
            ? DataDeletion.finish(
                job,
                context,
                settings,
                clock.instant(),
                new EventRecorder(context.getClient(), clock))
            : UpdateControl.noUpdate();
      }
      return reconcileJob(DataDeletion.keepFinalizerInStep(job, context), context);
    }
  }

  private UpdateControl<ExportJob> reconcileJob(ExportJob job, Context<ExportJob> context) {
    KubernetesClient client = context.getClient();
    Instant now = clock.instant();
    var check = recentChecks.check(job, client, now);
    List<Job> jobs = new ArrayList<>();
    List<Job> pruneJobs = new ArrayList<>();
    for (Job j : context.getSecondaryResources(Job.class)) {
      (ObjectLabels.isPrune(j) ? pruneJobs : jobs).add(j);
    }
    Optional<Instant> nextStart = Optional.empty();
    Optional<Instant> wakeUp = Optional.empty();
    List<RunRecord> missed = List.of();
    if (check.connections().isPresent()) {
      Connections connections = check.connections().get();
      applyExporterAccess(job, client);
      if (job.getSpec().schedule.run == RunMode.Once) {
        startOnceIfDue(job, jobs, connections, now, client).ifPresent(jobs::add);
        nextStart = onceStart(job).filter(now::isBefore);
      } else {
        var cron = ScheduleCron.of(job.getSpec().schedule);
        boolean applied = applyCronJob(job, connections, cron, context);
        nextStart = cron.expression().next(now, cron.zone());
        wakeUp = nextStart;
        if (!Boolean.TRUE.equals(job.getSpec().suspend)) {
          Set<Instant> known = knownRuns(job, jobs);
          Instant since =
              Stream.concat(
                      Stream.of(applied ? now : lastApplied(context).orElse(now)), known.stream())
                  .max(Comparator.naturalOrder())
                  .orElseThrow();
          var missedRuns =
              new MissedRuns(cron, job.getMetadata().getName(), since, settings.startingDeadline());
          missed = missedRuns.asOf(now, known);
          wakeUp = earliest(wakeUp, missedRuns.nextDecision(now, known));
        }
      }
    }
    var outcome =
        RunHistory.compute(
            job, jobs, check.notReady(), nextStart, missed, now, j -> summary(client, j));
    var retention = DataRetention.of(job);
    ExportJobStatus status = outcome.status();
    status.history = retention.markExpired(status.history);
    status.conditions =
        Stream.concat(
                status.conditions.stream(),
                Stream.of(
                    retention.condition(
                        job.getStatus() == null ? new ExportJobStatus() : job.getStatus(),
                        now,
                        status)))
            .toList();
    if (check.connections().isPresent() && retention.pruneDue(status, pruneJobs, now)) {
      PruneJobs.start(job, check.connections().get(), settings, now, client, false);
    }
    announce(job, outcome, new EventRecorder(client, clock));
    writeStatus(job, status, context);
    outcome.newRuns().forEach(run -> metrics.finished(job, run));
    metrics.observe(job, status, context.getPrimaryCache());

    UpdateControl<ExportJob> control = UpdateControl.noUpdate();
    if (check.notReady().isPresent()) {
      return control.rescheduleAfter(settings.preconditionRecheck());
    }
    // Wake up just after the next start (also when the controller skips it and creates nothing)
    // or when a start that has not happened becomes Missed.
    if (job.getSpec().schedule.run == RunMode.Once) {
      wakeUp = nextStart;
    }
    wakeUp = earliest(wakeUp, retention.wakeUp(status, pruneJobs, now));
    return wakeUp
        .map(t -> control.rescheduleAfter(Duration.between(now, t).plusSeconds(1)))
        .orElse(control);
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    return Stream.concat(a.stream(), b.stream()).min(Comparator.naturalOrder());
  }

  /** Scheduled times that have a Job, a history entry or are the current run. */
  private static Set<Instant> knownRuns(ExportJob job, List<Job> jobs) {
    var status = job.getStatus();
    Stream<String> recorded =
        status == null
            ? Stream.empty()
            : Stream.concat(
                Stream.ofNullable(status.history).flatMap(List::stream).map(r -> r.id),
                Stream.ofNullable(status.currentRun).map(r -> r.id));
    return Stream.concat(recorded, jobs.stream().map(j -> j.getMetadata().getName()))
        .map(RunIds::scheduledAt)
        .flatMap(Optional::stream)
        .collect(Collectors.toSet());
  }

  /** When this operator last applied the CronJob: an edit or resume starts a new schedule. */
  private static Optional<Instant> lastApplied(Context<ExportJob> context) {
    return context.getSecondaryResource(CronJob.class).stream()
        .flatMap(c -> c.getMetadata().getManagedFields().stream())
        .filter(m -> FIELD_MANAGER.equals(m.getManager()) && "Apply".equals(m.getOperation()))
        .map(m -> Instant.parse(m.getTime()))
        .max(Comparator.naturalOrder());
  }

  private void applyExporterAccess(ExportJob job, KubernetesClient client) {
    if (!accessApplied.add(job.getMetadata().getUid())) {
      return;
    }
    try {
      for (HasMetadata object : ExporterAccess.objects(job)) {
        object.getMetadata().setNamespace(job.getMetadata().getNamespace());
        object.getMetadata().setOwnerReferences(List.of(owner(job)));
        client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      }
    } catch (KubernetesClientException e) {
      accessApplied.remove(job.getMetadata().getUid());
      throw e;
    }
  }

  /** Applies the CronJob unless it already is as desired; says whether it applied. */
  private boolean applyCronJob(
      ExportJob job, Connections connections, ScheduleCron cron, Context<ExportJob> context) {
    CronJob desired =
        new CronJobBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName())
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(ObjectLabels.of(job, "schedule"))
            .withOwnerReferences(owner(job))
            .endMetadata()
            .withNewSpec()
            .withSchedule(cron.expression().toString())
            .withTimeZone(cron.zone().getId())
            .withSuspend(Boolean.TRUE.equals(job.getSpec().suspend))
            .withConcurrencyPolicy(job.getSpec().concurrencyPolicy.name())
            .withStartingDeadlineSeconds(settings.startingDeadline().toSeconds())
            .withSuccessfulJobsHistoryLimit(JOBS_KEPT)
            .withFailedJobsHistoryLimit(JOBS_KEPT)
            .withNewJobTemplate()
            .withNewMetadata()
            .withLabels(ObjectLabels.of(job, "export"))
            .endMetadata()
            .withSpec(jobSpec(job, connections))
            .endJobTemplate()
            .endSpec()
            .build();
    Optional<CronJob> actual = context.getSecondaryResource(CronJob.class);
    if (actual.isPresent()
        && SSABasedGenericKubernetesResourceMatcher.<CronJob>getInstance()
            .matches(actual.get(), desired, context)) {
      return false;
    }
    context
        .getClient()
        .resource(desired)
        .fieldManager(FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
    LOG.info(
        "cronjob applied exportjob={} namespace={} schedule=\"{}\" timeZone={} suspend={}",
        job.getMetadata().getName(),
        job.getMetadata().getNamespace(),
        cron.expression(),
        cron.zone(),
        job.getSpec().suspend);
    return true;
  }

  /**
   * A one-time job runs once: when it has no Job and no history yet, is not suspended, and its
   * start time has come. The Job is named after the scheduled time, so a retry after a crash finds
   * the Job it created instead of making a second one.
   */
  private Optional<Job> startOnceIfDue(
      ExportJob job,
      List<Job> jobs,
      Connections connections,
      Instant now,
      KubernetesClient client) {
    var status = job.getStatus();
    boolean started =
        !jobs.isEmpty()
            || (status != null
                && (status.lastStartedAt != null
                    || status.currentRun != null
                    || status.history != null));
    Instant start = onceStart(job).orElse(Instant.parse(job.getMetadata().getCreationTimestamp()));
    if (started || Boolean.TRUE.equals(job.getSpec().suspend) || now.isBefore(start)) {
      return Optional.empty();
    }
    // Runs are named, and their windows computed, by the minute, as cron's are.
    Instant scheduledAt = start.truncatedTo(ChronoUnit.MINUTES);
    Job run =
        new JobBuilder()
            .withNewMetadata()
            .withName(RunIds.of(job.getMetadata().getName(), scheduledAt))
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(ObjectLabels.of(job, "export"))
            .withOwnerReferences(owner(job))
            .endMetadata()
            .withSpec(jobSpec(job, connections))
            .build();
    try {
      Job created = client.resource(run).create();
      LOG.info(
          "one-time run created exportjob={} namespace={} run={}",
          job.getMetadata().getName(),
          job.getMetadata().getNamespace(),
          created.getMetadata().getName());
      return Optional.of(created);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static Optional<Instant> onceStart(ExportJob job) {
    return Optional.ofNullable(job.getSpec().schedule.startAt).map(Instant::parse);
  }

  private JobSpec jobSpec(ExportJob job, Connections connections) {
    return new JobSpecBuilder()
        .withBackoffLimit(settings.backoffLimit())
        .withTemplate(ExportPodTemplate.of(job, connections, settings))
        .build();
  }

  static OwnerReference owner(ExportJob job) {
    return new OwnerReferenceBuilder()
        .withApiVersion(job.getApiVersion())
        .withKind(job.getKind())
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .withController(true)
        .build();
  }

  /** The summary the last pod of a finished Job left as its termination message. */
  private static Optional<RunSummary> summary(KubernetesClient client, Job job) {
    return client
        .pods()
        .inNamespace(job.getMetadata().getNamespace())
        .withLabel("job-name", job.getMetadata().getName())
        .list()
        .getItems()
        .stream()
        .max(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()))
        .flatMap(p -> p.getStatus().getContainerStatuses().stream().findFirst())
        .map(s -> s.getState().getTerminated())
        .flatMap(t -> RunSummary.parse(t == null ? null : t.getMessage()));
  }

  private static void announce(ExportJob job, RunHistory.Outcome outcome, EventRecorder events) {
    ExportJobStatus before = job.getStatus() == null ? new ExportJobStatus() : job.getStatus();
    ExportJobStatus after = outcome.status();
    if (after.currentRun != null
        && (before.currentRun == null || !after.currentRun.id.equals(before.currentRun.id))) {
      events.normal(
          job,
          "RunStarted",
          "run " + after.currentRun.id + " started, scheduled at " + after.currentRun.scheduledAt);
    }
    for (RunRecord run : outcome.newRuns()) {
      switch (run.result) {
        case Succeeded ->
            events.normal(
                job,
                "RunSucceeded",
                "run %s succeeded: %s records, %s bytes, %s files"
                    .formatted(run.id, run.records, run.bytes, run.files));
        case Failed ->
            events.warning(job, "RunFailed", "run " + run.id + " failed: " + run.message);
        case Cancelled -> events.normal(job, "RunCancelled", "run " + run.id + ": " + run.message);
        case Missed -> events.warning(job, "RunMissed", "run " + run.id + ": " + run.message);
      }
    }
    var suspendedBefore = RunHistory.condition(before, RunHistory.SUSPENDED);
    var suspendedAfter = RunHistory.condition(after, RunHistory.SUSPENDED).orElseThrow();
    if (suspendedBefore.map(c -> !c.status.equals(suspendedAfter.status)).orElse(true)
        && (suspendedBefore.isPresent() || "True".equals(suspendedAfter.status))) {
      events.normal(
          job,
          "True".equals(suspendedAfter.status) ? "Suspended" : "Resumed",
          suspendedAfter.message);
    }
    Set<String> expiredBefore =
        Stream.ofNullable(before.history)
            .flatMap(List::stream)
            .filter(r -> Boolean.TRUE.equals(r.expired))
            .map(r -> r.id)
            .collect(Collectors.toSet());
    Stream.ofNullable(after.history)
        .flatMap(List::stream)
        .filter(r -> Boolean.TRUE.equals(r.expired) && !expiredBefore.contains(r.id))
        .forEach(
            r ->
                events.normal(
                    job,
                    "RunExpired",
                    "run "
                        + r.id
                        + " expired: its files and manifest were deleted from the destination"));
    var retentionBefore = RunHistory.condition(before, DataRetention.CONDITION);
    var retentionAfter = RunHistory.condition(after, DataRetention.CONDITION).orElseThrow();
    if ("False".equals(retentionAfter.status)
        && retentionBefore.map(c -> !"False".equals(c.status)).orElse(true)) {
      events.warning(job, retentionAfter.reason, retentionAfter.message);
    }
    var readyBefore = RunHistory.condition(before, RunHistory.READY);
    var readyAfter = RunHistory.condition(after, RunHistory.READY).orElseThrow();
    if ("False".equals(readyAfter.status)
        && readyBefore.map(c -> !readyAfter.reason.equals(c.reason)).orElse(true)) {
      events.warning(job, readyAfter.reason, readyAfter.message);
    }
  }

  /**
   * One JSON merge patch of the operator's fields only, and only when they differ from what is
   * stored. It names each of them (null for absent ones) and never the export pod's progress
   * counters, which stay as the pod wrote them; when the run ends, it removes the whole run. The
   * result goes into the operator's cache at once, so the next reconciliation never decides on a
   * status older than its own last write (it would start a one-time job twice).
   */
  private void writeStatus(ExportJob job, ExportJobStatus desired, Context<ExportJob> context) {
    if (StatusPatch.operatorFields(desired).equals(StatusPatch.operatorFields(job.getStatus()))) {
      return;
    }
    String patch = StatusPatch.of(desired);
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        job,
        context,
        unchanged -> unchanged,
        // On the object itself: a patch by name makes the client read the object first.
        unchanged ->
            context
                .getClient()
                .resource(job)
                .subresource("status")
                .patch(
                    new PatchContext.Builder()
                        .withPatchType(PatchType.JSON_MERGE)
                        .withFieldManager(FIELD_MANAGER)
                        .build(),
                    patch));
  }
}
