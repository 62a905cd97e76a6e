package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.plugin.DashboardViews.ArtifactsView;
import dev.cdds.operator.plugin.DashboardViews.FileRow;
import dev.cdds.operator.plugin.DashboardViews.HistoryView;
import dev.cdds.operator.plugin.DashboardViews.JobArtifacts;
import dev.cdds.operator.plugin.DashboardViews.JobRow;
import dev.cdds.operator.plugin.DashboardViews.JobsView;
import dev.cdds.operator.plugin.DashboardViews.Page;
import dev.cdds.operator.plugin.DashboardViews.RunRow;
import dev.cdds.operator.plugin.DashboardViews.RunView;
import dev.cdds.operator.storage.ExportJobArchive;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The dashboard's pages, read from the API server with the person's own credentials. */
final class DashboardPages {
  private final KubernetesClient client;
  private final Optional<String> namespace;

  DashboardPages(KubernetesClient client, Optional<String> namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  Page page(String title, String active, String flash) {
    return new Page(
        title, active, namespace.map(n -> "namespace " + n).orElse("all namespaces"), flash);
  }

  JobsView jobs(Map<String, String> filters, String flash) {
    var filter =
        new JobFilter(
            filters.get("source"),
            filters.get("type"),
            filters.get("status"),
            filters.get("search"));
    Comparator<ExportJob> order;
    try {
      order = JobOrder.of(filters.getOrDefault("sort", "name"));
    } catch (IllegalArgumentException e) {
      order = JobOrder.of("name");
    }
    Instant now = Instant.now();
    List<JobRow> rows =
        list().stream().filter(filter).sorted(order).map(job -> JobRow.of(job, now)).toList();
    return new JobsView(page("Jobs", "jobs", flash), filters, rows, "/jobs/rows" + query(filters));
  }

  HistoryView history(Map<String, String> filters, String flash) {
    var filter =
        new JobFilter(filters.get("source"), filters.get("type"), null, filters.get("search"));
    String result = filters.get("result");
    record Dated(String scheduledAt, RunRow row) {}
    List<Dated> runs = new ArrayList<>();
    for (ExportJob job : list()) {
      if (!filter.test(job) || job.getStatus() == null || job.getStatus().history == null) {
        continue;
      }
      for (RunRecord r : job.getStatus().history) {
        if (result == null || (r.result != null && result.equalsIgnoreCase(r.result.name()))) {
          runs.add(new Dated(r.scheduledAt == null ? "" : r.scheduledAt, RunRow.of(job, r)));
        }
      }
    }
    Comparator<Dated> newestFirst = Comparator.comparing(Dated::scheduledAt).reversed();
    Comparator<Dated> order =
        switch (filters.getOrDefault("sort", "newest")) {
          case "oldest" -> Comparator.comparing(Dated::scheduledAt);
          case "job" -> Comparator.comparing((Dated d) -> d.row().job()).thenComparing(newestFirst);
          case "result" ->
              Comparator.comparing((Dated d) -> d.row().result()).thenComparing(newestFirst);
          default -> newestFirst;
        };
    return new HistoryView(
        page("History", "history", flash),
        filters,
        runs.stream().sorted(order).map(Dated::row).toList(),
        "/history/rows" + query(filters));
  }

  Optional<RunView> run(String namespace, String name, String id) {
    ExportJob job = ExportJobLookup.get(client, namespace, name);
    Optional<RunRecord> found =
        Optional.ofNullable(job.getStatus())
            .flatMap(s -> Optional.ofNullable(s.history))
            .flatMap(h -> h.stream().filter(r -> id.equals(r.id)).findFirst());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    RunRecord r = found.get();
    String clone = "/jobs/" + namespace + "/" + name + "/clone";
    if (r.windowStart != null && r.windowEnd != null) {
      clone += query(Map.of("start", r.windowStart, "end", r.windowEnd));
    }
    var files = files(job, Optional.of(id));
    return Optional.of(
        new RunView(
            page("Run " + id, "history", null),
            namespace,
            name,
            id,
            RunDetails.of(job, r),
            files.files(),
            files.note(),
            clone));
  }

  /** Every file kept for the jobs the search lets through, read with the destinations' Secrets. */
  ArtifactsView artifacts(Map<String, String> filters, String flash) {
    var filter = new JobFilter(null, null, null, filters.get("search"));
    List<JobArtifacts> jobs = new ArrayList<>();
    for (ExportJob job : list()) {
      if (filter.test(job)) {
        jobs.add(artifacts(job));
      }
    }
    return new ArtifactsView(page("Artifacts", "artifacts", flash), filters, jobs);
  }

  private JobArtifacts artifacts(ExportJob job) {
    var files = files(job, Optional.empty());
    return new JobArtifacts(
        job.getMetadata().getNamespace(),
        job.getMetadata().getName(),
        job.getSpec().title,
        files.files(),
        files.note());
  }

  /** The files a job's destination keeps (of one run), or why they cannot be listed. */
  private JobArtifacts files(ExportJob job, Optional<String> run) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    if (!RunArchives.onS3(job)) {
      return new JobArtifacts(
          ns,
          name,
          job.getSpec().title,
          List.of(),
          "on a claim, which only pods reach: kubectl cdds download "
              + name
              + " --run ID prints how to copy a run out");
    }
    KeptFiles kept;
    try (ExportJobArchive archive = RunArchives.open(client, job, Optional.empty())) {
      kept = KeptFiles.of(job, archive, run);
    } catch (IOException | RuntimeException e) {
      return new JobArtifacts(ns, name, job.getSpec().title, List.of(), KubectlCdds.message(e));
    }
    List<FileRow> rows = new ArrayList<>();
    String previous = null;
    for (var f : kept.files()) {
      rows.add(
          new FileRow(
              f.run(),
              f.file().name(),
              Describe.bytes(f.file().bytes()),
              f.file().records(),
              f.file().sha256(),
              f.created(),
              f.daysLeft(),
              "/artifacts/" + ns + "/" + name + "/" + f.run() + "/" + f.file().name(),
              !f.run().equals(previous)));
      previous = f.run();
    }
    String note =
        kept.refused().isEmpty()
            ? (rows.isEmpty() ? "no runs kept" : null)
            : String.join("; ", kept.refused());
    return new JobArtifacts(ns, name, job.getSpec().title, rows, note);
  }

  private List<ExportJob> list() {
    var resources = client.resources(ExportJob.class);
    return (namespace.isPresent()
            ? resources.inNamespace(namespace.get()).list()
            : resources.inAnyNamespace().list())
        .getItems();
  }

  private static String query(Map<String, String> filters) {
    return filters.isEmpty()
        ? ""
        : filters.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&", "?", ""));
  }
}
