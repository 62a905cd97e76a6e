package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.runcontract.PrintableText;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kubectl cdds list}: the Jobs table. */
@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description =
        "The Jobs table: title, source, type, run, status and progress, last and next start.")
final class ListCommand implements Callable<Integer> {
  @ParentCommand KubectlCdds parent;
  @Mixin JobFilterOptions filters;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-w", "--watch"},
      description = "Redraw the table whenever a job changes, until interrupted.")
  boolean watch;

  @Option(
      names = "--status",
      description =
          "Only jobs whose latest run is in this state (Running, Succeeded, Failed, Missed,"
              + " Queued, NotRun) or whose slider is (Active, Suspended, Ended).")
  String status;

  @Option(
      names = "--sort",
      defaultValue = "name",
      description =
          "Order of the rows: name, title, created (newest first), last (latest start first) or next (soonest first).")
  String sort;

  @Option(
      names = {"-o", "--output"},
      description = "json or yaml: the ExportJobs themselves, for scripts. Default: the table.")
  String output;

  @Override
  public Integer call() throws Exception {
    if (output != null && !output.equals("json") && !output.equals("yaml")) {
      throw new IllegalArgumentException("--output must be json or yaml, not " + output);
    }
    Comparator<ExportJob> order = JobOrder.of(sort);
    var filter = filters.filter(status);
    var terminal = Terminal.detect(System.getenv());
    PrintWriter out = spec.commandLine().getOut();
    try (var client = parent.client()) {
      var namespace = parent.namespace(client);
      var resources = client.resources(ExportJob.class);
      // Read as stored, then one by one: an object this version cannot read (written by a newer
      // operator, or by hand) is named, and does not hide the others.
      var generic =
          client.genericKubernetesResources(
              HasMetadata.getApiVersion(ExportJob.class), "ExportJob");
      List<GenericKubernetesResource> items =
          namespace.isPresent()
              ? generic.inNamespace(namespace.get()).list().getItems()
              : generic.inAnyNamespace().list().getItems();
      List<ExportJob> jobs = new ArrayList<>();
      List<GenericKubernetesResource> shown = new ArrayList<>();
      List<String> unreadable = new ArrayList<>();
      for (GenericKubernetesResource item : items) {
        try {
          ExportJob job = Serialization.jsonMapper().convertValue(item, ExportJob.class);
          if (filter.test(job)) {
            jobs.add(job);
            shown.add(item);
          }
        } catch (IllegalArgumentException e) {
          shown.add(item);
          unreadable.add(
              "exportjob.cdds.dev/"
                  + item.getMetadata().getName()
                  + " in "
                  + item.getMetadata().getNamespace()
                  + " cannot be read by this version of kubectl cdds: "
                  + e.getMessage().lines().findFirst().orElse(""));
        }
      }
      if (output != null) {
        // As kubectl prints a list: a v1 List of the objects, as stored.
        var list = new java.util.LinkedHashMap<String, Object>();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.put("items", shown);
        out.print(
            output.equals("json") ? Serialization.asJson(list) + "\n" : Serialization.asYaml(list));
        out.flush();
        return 0;
      }
      boolean all = namespace.isEmpty();
      out.print(table(jobs.stream().sorted(order).toList(), all, terminal));
      out.flush();
      var err = spec.commandLine().getErr();
      unreadable.forEach(u -> err.println("error: " + PrintableText.line(u)));
      err.flush();
      if (!watch) {
        return unreadable.isEmpty() ? 0 : 1;
      }
      Map<String, ExportJob> current = new ConcurrentHashMap<>();
      jobs.forEach(j -> current.put(key(j), j));
      BlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
      Watcher<ExportJob> watcher =
          new Watcher<>() {
            @Override
            public void eventReceived(Action action, ExportJob job) {
              if (action == Action.DELETED) {
                current.remove(key(job));
              } else {
                current.put(key(job), job);
              }
              changes.add(true);
            }

            @Override
            public void onClose(WatcherException cause) {
              changes.add(false);
            }
          };
      String resourceVersion =
          namespace.isPresent()
              ? resources.inNamespace(namespace.get()).list().getMetadata().getResourceVersion()
              : resources.inAnyNamespace().list().getMetadata().getResourceVersion();
      var listOptions =
          new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
              .withResourceVersion(resourceVersion)
              .build();
      try (var watching =
          namespace.isPresent()
              ? resources.inNamespace(namespace.get()).watch(listOptions, watcher)
              : resources.inAnyNamespace().watch(listOptions, watcher)) {
        while (changes.take()) {
          changes.clear();
          out.print(terminal.newFrame(false));
          out.print(
              table(
                  current.values().stream().filter(filter).sorted(order).toList(), all, terminal));
          out.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  static String table(List<ExportJob> jobs, boolean allNamespaces, Terminal terminal) {
    List<String> headers = new ArrayList<>();
    if (allNamespaces) {
      headers.add("NAMESPACE");
    }
    headers.addAll(
        List.of(
            "NAME",
            "TITLE",
            "SOURCE",
            "TYPE",
            "RUN",
            "LATEST STATUS",
            "PROGRESS",
            "ACTIVE",
            "CREATED",
            "LAST STARTED",
            "NEXT STARTS"));
    var table = new Table(headers).colouredBy("LATEST STATUS", terminal);
    Instant now = Instant.now();
    jobs.forEach(
        job -> {
          var shown = DashboardViews.JobRow.of(job, now);
          var status = job.getStatus();
          List<String> row = new ArrayList<>();
          if (allNamespaces) {
            row.add(shown.namespace());
          }
          row.addAll(
              List.of(
                  shown.name(),
                  shown.title(),
                  shown.source(),
                  shown.type(),
                  shown.run(),
                  shown.latest(),
                  Describe.progress(status == null ? null : status.currentRun, terminal, now),
                  shown.activity(),
                  shown.created(),
                  shown.last(),
                  shown.next()));
          table.add(row);
        });
    return table.render();
  }

  private static String key(ExportJob job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }
}
