package dev.cdds.localcluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kube-controller-manager, limited to the controllers our tests rely on. */
final class KubeControllerManager implements AutoCloseable {
  static final List<String> CONTROLLERS =
      List.of(
          "job-controller",
          "deployment-controller",
          "replicaset-controller",
          "cronjob-controller",
          "garbage-collector-controller",
          "ttl-after-finished-controller",
          "serviceaccount-controller",
          // Fills view, edit and admin with the rules of ClusterRoles labelled aggregate-to-*.
          "clusterrole-aggregation-controller");

  private final Process process;

  private KubeControllerManager(Process process) {
    this.process = process;
  }

  static KubeControllerManager start(Path binary, Path kubeconfig, Path log) throws IOException {
    var command =
        List.of(
            binary.toString(),
            "--kubeconfig=" + kubeconfig,
            "--controllers=" + String.join(",", CONTROLLERS),
            "--leader-elect=false",
            "--use-service-account-credentials=false",
            "--secure-port=0",
            // Tests see CronJob and Job changes within a second instead of the default sync.
            "--concurrent-job-syncs=5",
            "--concurrent-cron-job-syncs=5");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new KubeControllerManager(process);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
