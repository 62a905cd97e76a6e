package dev.cdds.localcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The client a local control plane gives everything in its process: its process node, and the
 * tests' waits of a whole test run.
 *
 * <p>It speaks HTTP/1.1. Over one HTTP/2 connection, a request made inside a watch's callback (a
 * test's wait condition that read another object) blocked the connection for everyone until that
 * wait timed out: exactly 60 s in which pods finished but were reported late and every other wait
 * heard nothing (CI, 2026-11-26, three tests failed at once). On HTTP/1.1 each request and watch
 * has a connection of its own.
 */
final class SharedClient {
  private SharedClient() {}

  static KubernetesClient of(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(config).withHttp2Disable(true).build())
        .build();
  }
}
