package dev.cdds.operator.plugin;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Who may use the dashboard: whoever has the URL it printed. The token in that URL becomes an
 * HttpOnly cookie; a request must name this server in its Host (a page of another site, its name
 * rebound to 127.0.0.1, does not) and a request that changes something must come from one of its
 * pages (Origin), so another site can neither read nor post.
 */
final class DashboardAccess {
  static final String COOKIE = "cdds-dashboard";
  private static final String TOKEN_PARAMETER = "token";

  private final String token;
  private final List<String> hosts;

  DashboardAccess(int port) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.hosts = List.of("127.0.0.1:" + port, "localhost:" + port);
  }

  /** The address to open: the token in it, once; the server keeps it as a cookie. */
  String url() {
    return "http://" + hosts.get(0) + "/?" + TOKEN_PARAMETER + "=" + token;
  }

  /** What the request may not do, if anything: the HTTP status and why. */
  Optional<Refusal> refusal(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null || !hosts.contains(host.toLowerCase())) {
      return Optional.of(new Refusal(403, "this dashboard answers only to " + hosts.get(0)));
    }
    boolean reads = List.of("GET", "HEAD").contains(exchange.getRequestMethod());
    if (!reads) {
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      if (origin == null || !hosts.contains(origin.toLowerCase().replaceFirst("^http://", ""))) {
        return Optional.of(new Refusal(403, "a change must come from the dashboard's own pages"));
      }
    }
    if (!matches(cookie(exchange)) && !(reads && matches(tokenInUrl(exchange.getRequestURI())))) {
      return Optional.of(
          new Refusal(401, "open the URL kubectl cdds ui printed: it holds the access token"));
    }
    return Optional.empty();
  }

  /** Whether the request carries the token in its URL: it is then set as a cookie and dropped. */
  boolean tokenInUrl(HttpExchange exchange) {
    return matches(tokenInUrl(exchange.getRequestURI()));
  }

  String cookie() {
    return COOKIE + "=" + token + "; HttpOnly; SameSite=Strict; Path=/";
  }

  private boolean matches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(
            candidate.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  private static String cookie(HttpExchange exchange) {
    List<String> headers = exchange.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String pair : header.split(";")) {
        String[] kv = pair.trim().split("=", 2);
        if (kv.length == 2 && kv[0].equals(COOKIE)) {
          return kv[1];
        }
      }
    }
    return null;
  }

  private static String tokenInUrl(URI uri) {
    return DashboardForm.parse(uri.getRawQuery()).get(TOKEN_PARAMETER);
  }

  record Refusal(int status, String reason) {}
}
