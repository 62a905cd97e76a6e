package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's only "node": binds every pending pod to itself, runs it as a local process and
 * reports its phase, container state and exit code through pods/status, so the real Job and CronJob
 * controllers see real results. All state changes happen on one thread.
 */
public final class ProcessNode implements AutoCloseable {
  static final String NODE_NAME = "process-node";
  private static final Logger LOG = LoggerFactory.getLogger(ProcessNode.class);
  private static final java.time.Duration STATUS_RETRY = java.time.Duration.ofMinutes(2);
  private static final long MAX_GRACE_SECONDS = 5;

  private final KubernetesClient client;
  private final ClusterEndpoint cluster;
  private final ImageLaunchers launchers;
  private final Path podsRoot;
  private final Path logsRoot;
  private final Path pvcRoot;
  private final ExecutorService events =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "process-node"));
  private final Map<String, LocalPod> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService probes =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "process-node-probes"));
  private SharedIndexInformer<Pod> informer;

  ProcessNode(
      KubernetesClient client, ClusterEndpoint cluster, ImageLaunchers launchers, Path work) {
    this.client = client;
    this.cluster = cluster;
    this.launchers = launchers;
    this.podsRoot = work.resolve("pods");
    this.logsRoot = work.resolve("logs");
    this.pvcRoot = work.resolve("pvcs");
  }

  /** The directory that stands for PersistentVolumeClaim {@code claim} of {@code namespace}. */
  public Path claimDirectory(String namespace, String claim) {
    return pvcRoot.resolve(namespace).resolve(claim);
  }

  /** The file a pod's container output goes to; kept after the test run. */
  public Path logOf(String namespace, String pod, String container) {
    return logsRoot.resolve(namespace + "_" + pod + "_" + container + ".log");
  }

  /**
   * Kills the container of pod {@code name} at once (SIGKILL), as the kernel's OOM killer or a node
   * failure would; the pod then fails with exit code 137.
   */
  public void kill(String namespace, String name) {
    running.values().stream()
        .filter(p -> p.pod().getMetadata().getNamespace().equals(namespace))
        .filter(p -> p.pod().getMetadata().getName().equals(name))
        .forEach(
            p -> {
              try {
                p.kill();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  void start() {
    informer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    events.execute(() -> observe(pod));
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    events.execute(() -> observe(pod));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {
                    events.execute(() -> forget(pod));
                  }
                },
                0);
  }

  private void observe(Pod pod) {
    String uid = pod.getMetadata().getUid();
    try {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        terminate(pod);
      } else if (pod.getSpec().getNodeName() == null
          && "Pending".equals(pod.getStatus().getPhase())) {
        bindAndRun(pod);
      } else if (NODE_NAME.equals(pod.getSpec().getNodeName())
          && !running.containsKey(uid)
          && "Pending".equals(pod.getStatus().getPhase())
          && pod.getStatus().getContainerStatuses().isEmpty()) {
        // Bound by us before a restart of the node, never started: start it now.
        run(pod);
      }
    } catch (KubernetesClientException e) {
      LOG.warn("pod {}: {}", key(pod), e.getMessage());
    }
  }

  private void bindAndRun(Pod pod) {
    var meta = pod.getMetadata();
    client
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .endMetadata()
                .withNewTarget()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(NODE_NAME)
                .endTarget()
                .build())
        .create();
    run(pod);
  }

  private void run(Pod pod) {
    String uid = pod.getMetadata().getUid();
    LocalPod local;
    try {
      local = LocalPod.of(pod, podsRoot, logsRoot);
      local.start(client, cluster, launchers, pvcRoot);
    } catch (Exception e) {
      // Like kubelet: the pod stays Pending with the reason in the container's waiting state.
      LOG.warn("pod {} can't start: {}", key(pod), e.getMessage());
      reportStatus(
          pod,
          PodStatuses.waiting(
              pod,
              e instanceof ImageNotFound ? "ImagePullBackOff" : "CreateContainerConfigError",
              e.getMessage()));
      return;
    }
    running.put(uid, local);
    LOG.info("pod {} started as pid {}", key(pod), local.process().pid());
    reportStatus(pod, PodStatuses.running(local));
    local
        .readiness()
        .ifPresent(
            probe -> {
              var probing =
                  probes.scheduleAtFixedRate(
                      () -> probe(local, probe),
                      probe.initialDelay().toMillis(),
                      probe.period().toMillis(),
                      TimeUnit.MILLISECONDS);
              local.process().onExit().thenRun(() -> probing.cancel(false));
            });
    local.process().onExit().thenRunAsync(() -> finished(local), events);
  }

  /** One readiness probe; a change of readiness is reported like any other state change. */
  private void probe(LocalPod local, ReadinessProbe probe) {
    if (local.probed(probe.succeeds())) {
      events.execute(
          () -> {
            if (running.containsKey(local.pod().getMetadata().getUid())) {
              LOG.info("pod {} ready={}", key(local.pod()), local.ready());
              reportStatus(local.pod(), PodStatuses.running(local));
            }
          });
    }
  }

  private void finished(LocalPod local) {
    Pod pod = local.pod();
    if (running.remove(pod.getMetadata().getUid()) == null) {
      return;
    }
    int exit = local.process().exitValue();
    LOG.info("pod {} exited with {} (log: {})", key(pod), exit, local.log());
    reportStatus(pod, PodStatuses.terminated(local, exit));
  }

  private void terminate(Pod pod) {
    LocalPod local = running.remove(pod.getMetadata().getUid());
    if (local != null) {
      Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
      try {
        local.stop(Math.min(grace == null ? 30 : grace, MAX_GRACE_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reportStatus(pod, PodStatuses.terminated(local, local.process().exitValue()));
    }
    if (NODE_NAME.equals(pod.getSpec().getNodeName())) {
      // Kubelet's last word on a deleted pod: remove it now that nothing runs.
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    }
  }

  private void forget(Pod pod) {
    LocalPod local = running.remove(pod.getMetadata().getUid());
    if (local != null) {
      try {
        local.stop(0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Like kubelet, keeps trying while the API server is unreachable (it may be restarting), so that
   * a pod that ends meanwhile still ends for the Job controller; gives up on any other refusal.
   */
  private void reportStatus(Pod pod, PodStatus status) {
    long deadline = System.nanoTime() + STATUS_RETRY.toNanos();
    for (long backoffMillis = 200; ; backoffMillis = Math.min(backoffMillis * 2, 2000)) {
      try {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .editStatus(
                p -> {
                  p.setStatus(status);
                  return p;
                });
        return;
      } catch (KubernetesClientException e) {
        boolean unreachable = e.getCode() == 0 || e.getCode() >= 500;
        if (!unreachable || System.nanoTime() > deadline) {
          LOG.warn("pod {}: status not reported: {}", key(pod), e.getMessage());
          return;
        }
        LOG.info("pod {}: API server unreachable, status report retried", key(pod));
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  @Override
  public void close() throws InterruptedException {
    if (informer != null) {
      informer.close();
    }
    probes.shutdownNow();
    events.shutdown();
    events.awaitTermination(5, TimeUnit.SECONDS);
    for (LocalPod local : List.copyOf(running.values())) {
      local.stop(0);
    }
  }
}
