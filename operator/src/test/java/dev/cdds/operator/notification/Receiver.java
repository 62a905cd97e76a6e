package dev.cdds.operator.notification;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/** A notification receiver on loopback that keeps what it was sent and answers as told. */
final class Receiver implements AutoCloseable {
  record Request(String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Request> received = new CopyOnWriteArrayList<>();

  private Receiver(HttpServer server) {
    this.server = server;
  }

  /** Answers {@code status.getAsInt()} to each POST, after keeping it. */
  static Receiver on(int port, IntSupplier status) throws IOException {
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    var receiver = new Receiver(server);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          receiver.received.add(
              new Request(
                  exchange.getRequestURI().getPath(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  body));
          exchange.sendResponseHeaders(status.getAsInt(), -1);
          exchange.close();
        });
    server.start();
    return receiver;
  }

  List<Request> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
