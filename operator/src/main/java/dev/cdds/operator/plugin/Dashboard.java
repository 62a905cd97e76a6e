package dev.cdds.operator.plugin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cdds.operator.plugin.DashboardViews.FormView;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kubectl cdds ui}'s web server: the Jobs, History and Artifacts pages on 127.0.0.1,
 * rendered on the server from templates that escape every value, with a few lines of script (served
 * from here, nothing from elsewhere) that fetch a page's rows again when the watch sees a change.
 * Everything goes to the API server with the person's own kubeconfig, as {@code kubectl proxy}
 * does.
 */
final class Dashboard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  // Names, namespaces and run ids in paths: DNS names only, so no path reaches another API URL.
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final String SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src"
          + " 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final long KEEP_ALIVE_MILLIS = 15_000;

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(Dashboard::daemon);
  private final DashboardAccess access;
  private final DashboardPages pages;
  private final DashboardActions actions;
  private final DashboardChanges changes;
  private final DashboardDownload download;
  private final KubernetesClient client;
  private final Optional<String> namespace;
  private final TemplateEngine templates =
      TemplateEngine.createPrecompiled(null, ContentType.Html, null, "dev.cdds.operator.plugin");
  private final AtomicReference<String> flash = new AtomicReference<>();

  private Dashboard(KubernetesClient client, Optional<String> namespace, int port)
      throws IOException {
    this.namespace = namespace;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    this.access = new DashboardAccess(server.getAddress().getPort());
    this.pages = new DashboardPages(client, namespace);
    this.actions = new DashboardActions(client);
    this.changes = new DashboardChanges(client, namespace);
    this.download = new DashboardDownload(client);
    this.client = client;
    server.createContext("/", this::handle);
    server.setExecutor(threads);
  }

  /** Serves the jobs of {@code namespace} (all namespaces when empty) on 127.0.0.1:{@code port}. */
  static Dashboard start(KubernetesClient client, Optional<String> namespace, int port)
      throws IOException {
    var dashboard = new Dashboard(client, namespace, port);
    dashboard.server.start();
    return dashboard;
  }

  /** The address to open, with its access token. */
  String url() {
    return access.url();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      var refusal = access.refusal(exchange);
      if (refusal.isPresent()) {
        LOG.warn(
            "refused {} {}: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            refusal.get().reason());
        send(exchange, refusal.get().status(), "text/plain", refusal.get().reason());
        return;
      }
      if (access.tokenInUrl(exchange)) {
        // The token leaves the address bar (and the history) at once: the cookie carries it.
        exchange.getResponseHeaders().add("Set-Cookie", access.cookie());
        redirect(exchange, exchange.getRequestURI().getPath());
        return;
      }
      route(exchange);
    } catch (KubernetesClientException | IllegalArgumentException e) {
      send(exchange, 400, "text/plain", KubectlCdds.message(e));
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = DashboardForm.parse(exchange.getRequestURI().getRawQuery());
    List<String> parts = List.of(path.substring(1).split("/"));
    boolean get = method.equals("GET");
    if (get && path.equals("/")) {
      html(exchange, 200, "jobs", pages.jobs(query, flash.getAndSet(null)));
    } else if (get && path.equals("/jobs/rows")) {
      html(exchange, 200, "jobRows", pages.jobs(query, null));
    } else if (get && path.equals("/history")) {
      html(exchange, 200, "history", pages.history(query, flash.getAndSet(null)));
    } else if (get && path.equals("/history/rows")) {
      html(exchange, 200, "historyRows", pages.history(query, null));
    } else if (get && parts.size() == 4 && parts.get(0).equals("history") && names(parts, 1, 4)) {
      var run = pages.run(parts.get(1), parts.get(2), parts.get(3));
      if (run.isPresent()) {
        html(exchange, 200, "run", run.get());
      } else {
        send(exchange, 404, "text/plain", "no run " + parts.get(3) + " in " + parts.get(2));
      }
    } else if (get && path.equals("/artifacts")) {
      html(exchange, 200, "artifacts", pages.artifacts(query, flash.getAndSet(null)));
    } else if (get && parts.size() == 5 && parts.get(0).equals("artifacts") && names(parts, 1, 4)) {
      download.send(exchange, parts.get(1), parts.get(2), parts.get(3), parts.get(4));
    } else if (!get
        && parts.size() == 4
        && parts.get(0).equals("artifacts")
        && parts.get(3).equals("delete")
        && names(parts, 1, 3)) {
      deleteRuns(exchange, parts.get(1), parts.get(2));
    } else if (path.equals("/new")) {
      addForm(exchange, get);
    } else if (get && path.equals("/events")) {
      events(exchange);
    } else if (get
        && (path.equals("/static/dashboard.js") || path.equals("/static/dashboard.css"))) {
      resource(exchange, path.substring("/static/".length()));
    } else if (parts.size() == 4 && parts.get(0).equals("jobs") && names(parts, 1, 3)) {
      jobAction(exchange, get, parts.get(1), parts.get(2), parts.get(3));
    } else {
      send(exchange, 404, "text/plain", "not found: " + path);
    }
  }

  private void jobAction(HttpExchange exchange, boolean get, String ns, String name, String verb)
      throws IOException {
    if (get && verb.equals("clone")) {
      // "Clone this run" of a run's page comes with the run's window.
      Map<String, String> values = DashboardForm.parse(exchange.getRequestURI().getRawQuery());
      values.put("namespace", ns);
      values.put("source", name);
      var page = pages.page("Clone " + name, "jobs", null);
      html(exchange, 200, "clone", new FormView(page, "", false, values, Map.of()));
      return;
    }
    if (verb.equals("edit")) {
      editForm(exchange, get, ns, name);
      return;
    }
    if (get) {
      send(exchange, 405, "text/plain", "use the page's buttons");
      return;
    }
    Map<String, String> form = form(exchange);
    String outcome;
    try {
      outcome =
          switch (verb) {
            case "suspend" -> actions.setSuspended(ns, name, true);
            case "resume" -> actions.setSuspended(ns, name, false);
            case "run" -> actions.runNow(ns, name);
            case "delete" -> actions.delete(ns, name);
            case "clone" -> actions.copy(ns, name, form);
            default -> throw new IllegalArgumentException("no action " + verb);
          };
    } catch (KubernetesClientException | IllegalArgumentException e) {
      outcome = "Refused: " + KubectlCdds.message(e);
    }
    flash.set(outcome);
    redirect(exchange, "/");
  }

  /** The Artifacts page's delete: the runs checked, through the operator's prune Job. */
  private void deleteRuns(HttpExchange exchange, String ns, String name) throws IOException {
    SortedSet<String> asked =
        new TreeSet<>(DashboardForm.parseAll(body(exchange)).getOrDefault("run", List.of()));
    String outcome;
    try {
      if (asked.isEmpty()) {
        throw new IllegalArgumentException("no run selected");
      }
      SortedSet<String> toDelete =
          RunDeletions.stillThere(ExportJobLookup.get(client, ns, name), asked, id -> {});
      RunDeletions.request(client, ns, name, toDelete);
      outcome =
          "deletion of "
              + String.join(", ", toDelete)
              + " requested: the operator's prune Job deletes the files, and History marks the"
              + " runs deleted";
    } catch (KubernetesClientException | IllegalArgumentException e) {
      outcome = "Refused: " + KubectlCdds.message(e);
    }
    flash.set(outcome);
    redirect(exchange, "/artifacts");
  }

  private void editForm(HttpExchange exchange, boolean get, String ns, String name)
      throws IOException {
    var page = pages.page("Edit " + name, "jobs", null);
    String action = "/jobs/" + ns + "/" + name + "/edit";
    if (get) {
      var values = DashboardActions.values(ExportJobLookup.get(client, ns, name));
      html(exchange, 200, "form", new FormView(page, action, true, values, Map.of()));
      return;
    }
    Map<String, String> form = form(exchange);
    Map<String, String> errors = actions.edit(ns, name, form);
    if (errors.isEmpty()) {
      flash.set(name + " changed");
      redirect(exchange, "/");
    } else {
      form.put("name", name);
      html(exchange, 422, "form", new FormView(page, action, true, form, errors));
    }
  }

  private void addForm(HttpExchange exchange, boolean get) throws IOException {
    var page = pages.page("Add job", "jobs", null);
    if (get) {
      html(exchange, 200, "form", new FormView(page, "/new", false, Map.of(), Map.of()));
      return;
    }
    Map<String, String> form = form(exchange);
    Map<String, String> errors =
        namespace.isPresent()
            ? actions.create(namespace.get(), form)
            : Map.of(
                "",
                "this dashboard shows all namespaces: start kubectl cdds ui with -n NAMESPACE to"
                    + " add a job there");
    if (errors.isEmpty()) {
      flash.set(form.get("name") + " created");
      redirect(exchange, "/");
    } else {
      html(exchange, 422, "form", new FormView(page, "/new", false, form, errors));
    }
  }

  /** Server-sent events: "change" whenever the watch sees one, a comment now and then. */
  private void events(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    long seen = changes.version();
    try {
      while (true) {
        long now = changes.awaitChangeAfter(seen, KEEP_ALIVE_MILLIS);
        String message = now == seen ? ": still here\n\n" : "event: change\ndata: " + now + "\n\n";
        seen = now;
        out.write(message.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException closed) {
      // The page was closed or reloaded.
    }
  }

  private void html(HttpExchange exchange, int status, String template, Object view)
      throws IOException {
    var output = new StringOutput();
    templates.render(template + ".jte", view, output);
    send(exchange, status, "text/html; charset=utf-8", output.toString());
  }

  private void resource(HttpExchange exchange, String name) throws IOException {
    try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
      String type = name.endsWith(".js") ? "text/javascript" : "text/css";
      send(
          exchange,
          200,
          type + "; charset=utf-8",
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.add("Content-Type", type);
    headers.add("Content-Security-Policy", SECURITY_POLICY);
    headers.add("X-Content-Type-Options", "nosniff");
    // Not no-referrer: with it a browser sends "Origin: null" on the pages' own posts.
    headers.add("Referrer-Policy", "same-origin");
    headers.add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void redirect(HttpExchange exchange, String to) throws IOException {
    exchange.getResponseHeaders().add("Location", to);
    exchange.sendResponseHeaders(303, -1);
  }

  private static Map<String, String> form(HttpExchange exchange) throws IOException {
    return DashboardForm.parse(body(exchange));
  }

  private static String body(HttpExchange exchange) throws IOException {
    return new String(exchange.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8);
  }

  /** Whether the path's parts from {@code from} to {@code to} (exclusive) are all names. */
  private static boolean names(List<String> parts, int from, int to) {
    return parts.subList(from, to).stream().allMatch(p -> NAME.matcher(p).matches());
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "dashboard");
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() {
    server.stop(0);
    changes.close();
    threads.shutdownNow();
  }
}
