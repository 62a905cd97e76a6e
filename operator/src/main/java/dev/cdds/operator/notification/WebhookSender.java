package dev.cdds.operator.notification;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;

/**
 * Posts deliveries. What it says of a failure is an HTTP status or the kind of network error, never
 * an exception's message: those can hold the URL, a secret of its own.
 */
public final class WebhookSender {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          // A redirect would send the event, and its Authorization, where the Secret did not say.
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** Empty when delivered (a 2xx answer); otherwise why not. */
  public Optional<String> post(Delivery delivery) {
    var request =
        HttpRequest.newBuilder(delivery.url())
            .timeout(TIMEOUT)
            .header("Content-Type", delivery.contentType())
            .header("User-Agent", "cdds-operator")
            .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
    delivery.authorization().ifPresent(a -> request.header("Authorization", a));
    try {
      int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      return status / 100 == 2 ? Optional.empty() : Optional.of("HTTP " + status);
    } catch (HttpConnectTimeoutException e) {
      return Optional.of("connection timed out");
    } catch (HttpTimeoutException e) {
      return Optional.of("no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (ConnectException e) {
      return Optional.of("connection refused");
    } catch (IOException e) {
      return Optional.of("network error (" + e.getClass().getSimpleName() + ")");
    } catch (UnresolvedAddressException e) {
      return Optional.of("host not found");
    } catch (IllegalArgumentException e) {
      return Optional.of("the request was refused by the HTTP client");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }
}
