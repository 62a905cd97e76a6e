package dev.cdds.operator.reconciler;

import dev.cdds.operator.runcontract.JobCompletion;
import dev.cdds.operator.runcontract.ObjectLabels;
import dev.cdds.operator.runcontract.StatusText;
import dev.cdds.operator.schedule.SpecDuration;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile step that fails a run whose pod could not start for longer than the operator's
 * --pending-timeout (no node, an image that cannot be pulled, a quota refusing the pod), with the
 * pod's reason: kubelet retries such a pod forever, and the run would otherwise hold the job (and
 * its source's turn) until spec.runTimeout. The Job is marked with the reason and given a deadline
 * already past, so Kubernetes itself stops it and its pod.
 */
final class PendingRuns {
  /** Annotation of a Job the operator failed: "Reason: message", read back into history. */
  static final String FAILURE = "cdds.dev/failure";

  private static final Logger LOG = LoggerFactory.getLogger(PendingRuns.class);

  private PendingRuns() {}

  /** Fails what has waited too long; when to look again at what waits still. */
  static Optional<Instant> failStuck(Observed observed, Duration limit, KubernetesClient client) {
    Optional<Instant> next = Optional.empty();
    for (Job job : observed.exportJobs()) {
      if (JobCompletion.finished(job).isPresent()
          || job.getStatus() == null
          || job.getStatus().getStartTime() == null
          || (job.getStatus().getReady() != null && job.getStatus().getReady() > 0)
          || failedByUs(job)) {
        continue;
      }
      Instant started = Instant.parse(job.getStatus().getStartTime());
      if (observed.now().isBefore(started.plus(limit))) {
        next = Wakeups.earliest(next, Optional.of(started.plus(limit)));
        continue;
      }
      Optional<Pod> pod = RunPods.newest(client, job);
      if (pod.isPresent() && !"Pending".equals(pod.get().getStatus().getPhase())) {
        continue;
      }
      Instant waitingSince =
          pod.map(p -> Instant.parse(p.getMetadata().getCreationTimestamp())).orElse(started);
      if (observed.now().isBefore(waitingSince.plus(limit))) {
        next = Wakeups.earliest(next, Optional.of(waitingSince.plus(limit)));
        continue;
      }
      fail(job, reason(pod, job, limit), client);
    }
    return next;
  }

  private static boolean failedByUs(Job job) {
    var annotations = job.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(FAILURE);
  }

  /** "Reason: message" as kubelet or the scheduler says it. */
  private static String reason(Optional<Pod> pod, Job job, Duration limit) {
    String waited =
        " (Pending for more than "
            + SpecDuration.format(limit)
            + ", the operator's --pending-timeout)";
    if (pod.isEmpty()) {
      return "PodNotCreated: no pod could be created"
          + waited
          + ": a ResourceQuota or LimitRange may refuse it, see kubectl describe job "
          + job.getMetadata().getName();
    }
    var status = pod.get().getStatus();
    var waiting =
        Optional.ofNullable(status.getContainerStatuses()).orElse(List.of()).stream()
            .map(s -> s.getState() == null ? null : s.getState().getWaiting())
            .filter(w -> w != null && w.getReason() != null)
            .findFirst();
    if (waiting.isPresent()) {
      return waiting.get().getReason() + ": " + waiting.get().getMessage() + waited;
    }
    return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .findFirst()
        .map(c -> c.getReason() + ": " + c.getMessage() + waited)
        .orElse("PodPending: the pod did not start" + waited);
  }

  private static void fail(Job job, String reason, KubernetesClient client) {
    String patch =
        client
            .getKubernetesSerialization()
            .asJson(
                Map.of(
                    "metadata",
                    Map.of("annotations", Map.of(FAILURE, StatusText.bounded(reason))),
                    "spec",
                    // Already past: the Job controller fails the Job and removes its pod.
                    Map.of("activeDeadlineSeconds", 1)));
    client.resource(job).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    LOG.warn(
        "run failed before its pod started exportjob={} run={} reason=\"{}\"",
        job.getMetadata().getLabels().get(ObjectLabels.EXPORT_JOB),
        job.getMetadata().getName(),
        reason);
  }
}
