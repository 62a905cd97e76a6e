package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobCondition;
import dev.cdds.operator.runcontract.PrintableText;
import dev.cdds.operator.runcontract.RunDeletionRequest;
import dev.cdds.operator.runcontract.StatusConditions;
import dev.cdds.operator.schedule.SpecDuration;
import dev.cdds.operator.storage.ClaimFolders;
import dev.cdds.operator.storage.S3Archive;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl cdds files delete NAME --run ID…}: the Artifacts page's delete. The person asks by
 * an annotation of the job ({@link RunDeletionRequest}); the operator's prune Job deletes the
 * files, so no storage credentials are needed, and history marks the runs deleted.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description =
        "Deletes the files and manifests of runs (up to "
            + RunDeletionRequest.MAX_RUNS
            + " at once) from the destination, through the operator's prune Job: no storage"
            + " credentials needed. Asks first on a terminal (--yes otherwise); refused for a run"
            + " in progress. History marks the runs deleted.")
final class FilesDeleteCommand implements Callable<Integer> {

  @ParentCommand FilesCommand files;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The ExportJob.")
  String name;

  @Option(
      names = "--run",
      paramLabel = "ID",
      required = true,
      description = "A run whose files to delete (repeatable).")
  List<String> runs;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation (needed when not on a terminal).")
  boolean yes;

  @Option(
      names = "--wait",
      description = "Wait until history shows the runs deleted, or the prune Job's failure.")
  boolean await;

  @Option(
      names = "--timeout",
      defaultValue = "5m",
      description = "How long --wait waits, such as 90s or 10m. Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Override
  public Integer call() {
    SortedSet<String> asked = new TreeSet<>(runs);
    Duration waitFor = SpecDuration.parse(timeout, "--timeout");
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (var client = files.parent.client()) {
      String namespace = ExportJobLookup.namespace(files.parent, client);
      ExportJob job = ExportJobLookup.get(client, namespace, name);
      SortedSet<String> toDelete =
          RunDeletions.stillThere(
              job, asked, id -> err.println("run " + id + ": its files were deleted already"));
      if (toDelete.isEmpty()) {
        out.println("Nothing to delete.");
        return 0;
      }
      if (!confirmed(job, namespace, toDelete, System.console())) {
        err.println("Nothing deleted.");
        return 1;
      }
      Instant requestedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      RunDeletions.request(client, namespace, name, toDelete);
      out.println(
          "exportjob.cdds.dev/"
              + name
              + ": deletion of "
              + runs(toDelete.size())
              + " requested ("
              + String.join(", ", toDelete)
              + "); the operator's prune Job deletes the files, and kubectl cdds history "
              + name
              + " shows them deleted");
      out.flush();
      return await ? awaitDeleted(client, namespace, toDelete, requestedAt, waitFor, out, err) : 0;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Whether the person said yes; without a terminal only {@code --yes} says it. */
  private boolean confirmed(
      ExportJob job, String namespace, SortedSet<String> toDelete, Console console) {
    if (yes) {
      return true;
    }
    if (console == null) {
      throw new IllegalArgumentException(
          "deleting files asks for confirmation, and this is not a terminal: add --yes");
    }
    console
        .writer()
        .print(
            "Delete the files and manifests of "
                + runs(toDelete.size())
                + " of "
                + name
                + " ("
                + String.join(", ", toDelete)
                + ") from "
                + PrintableText.line(where(job, namespace))
                + "? This cannot be undone. [y/N]: ");
    console.writer().flush();
    String answer = console.readLine();
    return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase());
  }

  private int awaitDeleted(
      KubernetesClient client,
      String namespace,
      SortedSet<String> toDelete,
      Instant requestedAt,
      Duration waitFor,
      PrintWriter out,
      PrintWriter err) {
    ExportJob seen;
    try {
      seen =
          ExportJobLookup.named(client, namespace, name)
              .waitUntilCondition(
                  j ->
                      j == null
                          || deleted(j, toDelete)
                          || pruneFailedSince(j, requestedAt).isPresent(),
                  waitFor.toMillis(),
                  TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      err.println(
          "error: the runs were not deleted within "
              + timeout
              + ": kubectl cdds describe "
              + name
              + " shows the job's conditions");
      return 1;
    }
    if (seen == null) {
      err.println("error: exportjob " + name + " was deleted");
      return 1;
    }
    if (deleted(seen, toDelete)) {
      out.println(runs(toDelete.size()) + " deleted");
      return 0;
    }
    err.println(
        "error: " + PrintableText.line(pruneFailedSince(seen, requestedAt).orElseThrow().message));
    return 1;
  }

  private static boolean deleted(ExportJob job, SortedSet<String> runIds) {
    return job.getStatus() != null
        && job.getStatus().history != null
        && job.getStatus().history.stream()
                .filter(r -> runIds.contains(r.id) && Boolean.TRUE.equals(r.deleted))
                .count()
            == runIds.size();
  }

  /** The Retention condition, when a prune failed after the request was made. */
  private static Optional<ExportJobCondition> pruneFailedSince(ExportJob job, Instant requestedAt) {
    return Optional.ofNullable(job.getStatus())
        .flatMap(s -> StatusConditions.find(s, StatusConditions.RETENTION))
        .filter(c -> "False".equals(c.status) && c.lastTransitionTime != null)
        .filter(c -> !Instant.parse(c.lastTransitionTime).isBefore(requestedAt));
  }

  /** Where the runs are, in words: the person may not be able to read the destination's Secret. */
  private String where(ExportJob job, String namespace) {
    var output = job.getSpec().output;
    var destination = output == null ? null : output.destination;
    if (destination != null && destination.s3 != null) {
      return "s3://"
          + destination.s3.bucket
          + "/"
          + S3Archive.folder(destination.s3.prefix, namespace, name);
    }
    String claim =
        destination != null && destination.pvc != null
            ? "PVC " + destination.pvc.claimName
            : "the operator's default PVC";
    return claim + ", folder /" + ClaimFolders.folder(job.getSpec()) + namespace + "/" + name + "/";
  }

  private static String runs(int count) {
    return count + (count == 1 ? " run" : " runs");
  }
}
