package dev.cdds.operator.notification;

import java.net.URI;
import java.util.Optional;

/** One HTTP POST of a notification, as its target's Secret says where. */
public record Delivery(URI url, Optional<String> authorization, String contentType, byte[] body) {
  /**
   * The POST to the URL in a target's Secret; refused unless it is http or https with a host (the
   * message names the key, never its value).
   */
  public static Delivery to(
      String url, Optional<String> authorization, String contentType, byte[] body) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("its key url is not a URL");
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("its key url is not an http or https URL");
    }
    return new Delivery(uri, authorization.map(String::trim), contentType, body);
  }
}
