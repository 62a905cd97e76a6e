package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A container's readiness probe as kubelet runs it, an HTTP GET or a TCP connect; pods share the
 * host's network, so the probe goes to 127.0.0.1. Until it succeeds the pod is not Ready, so a
 * Deployment counts it unavailable.
 */
final class ReadinessProbe {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Optional<String> path;
  private final int port;
  private final Duration initialDelay;
  private final Duration period;
  private final Duration timeout;

  private ReadinessProbe(
      Optional<String> path, int port, Duration initialDelay, Duration period, Duration timeout) {
    this.path = path;
    this.port = port;
    this.initialDelay = initialDelay;
    this.period = period;
    this.timeout = timeout;
  }

  /**
   * The container's readiness probe, if it has one.
   *
   * @throws IllegalStateException for a kind the node cannot run (exec, gRPC, HTTPS)
   */
  static Optional<ReadinessProbe> of(Container container) {
    Probe probe = container.getReadinessProbe();
    if (probe == null) {
      return Optional.empty();
    }
    Duration initialDelay = seconds(probe.getInitialDelaySeconds(), 0);
    Duration period = seconds(probe.getPeriodSeconds(), 10);
    Duration timeout = seconds(probe.getTimeoutSeconds(), 1);
    if (probe.getHttpGet() != null && !"HTTPS".equals(probe.getHttpGet().getScheme())) {
      var get = probe.getHttpGet();
      return Optional.of(
          new ReadinessProbe(
              Optional.ofNullable(get.getPath()).or(() -> Optional.of("/")),
              port(container, get.getPort()),
              initialDelay,
              period,
              timeout));
    }
    if (probe.getTcpSocket() != null) {
      return Optional.of(
          new ReadinessProbe(
              Optional.empty(),
              port(container, probe.getTcpSocket().getPort()),
              initialDelay,
              period,
              timeout));
    }
    throw new IllegalStateException(
        "readinessProbe: only httpGet (HTTP) and tcpSocket are supported by the process node");
  }

  Duration initialDelay() {
    return initialDelay;
  }

  Duration period() {
    return period;
  }

  /** One attempt: an HTTP status 200–399, or a connection accepted. */
  boolean succeeds() {
    try {
      if (path.isEmpty()) {
        try (var socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
          return true;
        }
      }
      var request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path.get()))
              .timeout(timeout)
              .build();
      int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 400;
    } catch (IOException failed) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(p -> p.getContainerPort())
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "readinessProbe: the container has no port named " + port.getStrVal()));
  }

  private static Duration seconds(Integer value, int fallback) {
    return Duration.ofSeconds(value == null ? fallback : value);
  }
}
