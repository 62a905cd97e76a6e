package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.io.IOException;
import java.time.Instant;

/** A pod's status as kubelet reports it, for each state the process node knows. */
final class PodStatuses {
  private PodStatuses() {}

  /**
   * The container could not be started: {@code reason} CreateContainerConfigError (a Secret
   * missing, say) or ImagePullBackOff.
   */
  static PodStatus waiting(Pod pod, String reason, String message) {
    var container = pod.getSpec().getContainers().get(0);
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withConditions(condition("PodScheduled", "True", null))
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID("")
                .withReady(false)
                .withStarted(false)
                .withRestartCount(0)
                .withState(
                    new ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .build())
                .build())
        .build();
  }

  /** Started, and Ready once its readiness probe (if any) succeeded. */
  static PodStatus running(LocalPod local) {
    return started(
        local,
        "Running",
        true,
        local.ready(),
        local.ready() ? null : "ContainersNotReady",
        new ContainerStateBuilder()
            .withNewRunning()
            .withStartedAt(local.startedAt().toString())
            .endRunning()
            .build());
  }

  static PodStatus terminated(LocalPod local, int exit) {
    // Read always, so that the container's cgroup is freed; only a SIGKILL is the OOM killer's.
    boolean oomKilled = local.oomKilled() && exit == 137;
    String message;
    try {
      message = local.terminationMessage(exit);
    } catch (IOException e) {
      message = "termination message unreadable: " + e.getMessage();
    }
    ContainerState ended =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(exit)
            .withReason(exit == 0 ? "Completed" : oomKilled ? "OOMKilled" : "Error")
            .withMessage(message.isEmpty() ? null : message)
            .withStartedAt(local.startedAt().toString())
            .withFinishedAt(Instant.now().toString())
            .withContainerID(local.containerId())
            .endTerminated()
            .build();
    String restartPolicy = local.pod().getSpec().getRestartPolicy();
    if ("Always".equals(restartPolicy) || ("OnFailure".equals(restartPolicy) && exit != 0)) {
      // kubelet would restart the container with a backoff; this node does not restart, but
      // says so as kubelet does meanwhile, so that no controller replaces the pod in a loop.
      PodStatus waiting =
          started(
              local,
              "Running",
              false,
              false,
              "ContainersNotReady",
              new ContainerStateBuilder()
                  .withNewWaiting()
                  .withReason("CrashLoopBackOff")
                  .withMessage("the process node does not restart containers")
                  .endWaiting()
                  .build());
      waiting.getContainerStatuses().get(0).setLastState(ended);
      return waiting;
    }
    return started(local, exit == 0 ? "Succeeded" : "Failed", false, false, "PodCompleted", ended);
  }

  /** A pod whose container has started, with its readiness and its container's state. */
  private static PodStatus started(
      LocalPod local,
      String phase,
      boolean started,
      boolean ready,
      String notReadyReason,
      ContainerState state) {
    var container = local.pod().getSpec().getContainers().get(0);
    String readiness = ready ? "True" : "False";
    return new PodStatusBuilder()
        .withPhase(phase)
        .withHostIP("127.0.0.1")
        .withPodIP("127.0.0.1")
        .withStartTime(local.startedAt().toString())
        .withConditions(
            condition("PodScheduled", "True", null),
            condition("Initialized", "True", null),
            condition("ContainersReady", readiness, notReadyReason),
            condition("Ready", readiness, notReadyReason))
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID("")
                .withContainerID(local.containerId())
                .withReady(ready)
                .withStarted(started)
                .withRestartCount(0)
                .withState(state)
                .build())
        .build();
  }

  private static PodCondition condition(String type, String status, String reason) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withLastTransitionTime(Instant.now().toString())
        .build();
  }
}
