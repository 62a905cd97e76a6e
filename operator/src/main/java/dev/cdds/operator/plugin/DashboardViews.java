package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the dashboard's templates show: plain values, escaped by the templates. */
final class DashboardViews {
  private DashboardViews() {}

  /**
   * What every page has.
   *
   * @param scope the namespace shown, or "all namespaces"
   * @param flash the outcome of the last action (the server's own words), once
   */
  record Page(String title, String active, String scope, String flash) {}

  /** One row of the Jobs table; {@code progress} is -1 without a run in progress. */
  record JobRow(
      String namespace,
      String name,
      String title,
      String source,
      String type,
      String run,
      String latest,
      int progress,
      String eta,
      String activity,
      String created,
      String last,
      String next,
      boolean suspended,
      boolean ended) {
    /** The row of {@code job}, as the Jobs page (and {@code kubectl cdds list}) shows it. */
    static JobRow of(ExportJob job, Instant now) {
      var spec = job.getSpec();
      var status = job.getStatus();
      var current = status == null ? null : status.currentRun;
      String activity = Describe.activity(job);
      return new JobRow(
          job.getMetadata().getNamespace(),
          job.getMetadata().getName(),
          spec.title,
          spec.source.system,
          spec.source.type.name(),
          spec.schedule.run.name(),
          Describe.latest(job),
          current == null ? -1 : current.progress == null ? 0 : current.progress,
          current == null ? "" : Describe.eta(current.estimatedCompletionAt, now).trim(),
          activity,
          Describe.minute(job.getMetadata().getCreationTimestamp()),
          Describe.minute(status == null ? null : status.lastStartedAt),
          Describe.minute(status == null ? null : status.nextStartsAt),
          Boolean.TRUE.equals(spec.suspend),
          "Ended".equals(activity));
    }

    String path() {
      return "/jobs/" + namespace + "/" + name;
    }
  }

  /** The Jobs page: the filters as chosen, and the rows they let through. */
  record JobsView(Page page, Map<String, String> filters, List<JobRow> rows, String rowsUrl) {}

  /** One run on the History page (and in {@code kubectl cdds history}). */
  record RunRow(
      String namespace,
      String job,
      String id,
      String result,
      String trigger,
      String started,
      String duration,
      String window,
      String records,
      String bytes,
      String files,
      String message) {
    static RunRow of(ExportJob job, RunRecord r) {
      return new RunRow(
          job.getMetadata().getNamespace(),
          job.getMetadata().getName(),
          r.id,
          (r.result == null ? "" : r.result.name())
              + RunDetails.filesGone(r, " (expired)", " (deleted)"),
          HistoryCommand.trigger(r),
          Describe.minute(r.startedAt),
          Describe.duration(r.startedAt, r.finishedAt),
          HistoryCommand.window(r),
          r.records == null ? "" : r.records.toString(),
          Describe.bytes(r.bytes),
          r.files == null ? "" : r.files.toString(),
          HistoryCommand.message(r));
    }

    String path() {
      return "/history/" + namespace + "/" + job + "/" + id;
    }
  }

  record HistoryView(Page page, Map<String, String> filters, List<RunRow> rows, String rowsUrl) {}

  /**
   * One run in detail, as {@code kubectl cdds history NAME --run ID} shows it, with its files and
   * the way to clone the job for the run's window.
   */
  record RunView(
      Page page,
      String namespace,
      String job,
      String id,
      String details,
      List<FileRow> files,
      String filesNote,
      String cloneUrl) {}

  /**
   * The Add and Edit forms: where they post, what was typed (or the job's values), and the API
   * server's messages by field (those it names no field for under {@code ""}).
   */
  record FormView(
      Page page,
      String action,
      boolean editing,
      Map<String, String> values,
      Map<String, String> errors) {
    String value(String field) {
      return values.getOrDefault(field, "");
    }

    String error(String field) {
      return errors.get(field);
    }
  }

  /** One file on the Artifacts page; {@code first} for the first file of its run. */
  record FileRow(
      String run,
      String name,
      String size,
      long records,
      String sha256,
      String created,
      String daysLeft,
      String download,
      boolean first) {}

  /**
   * A job's kept files; {@code note} says why none are listed when the dashboard cannot read them
   * (a claim, a Secret it may not read, storage that does not answer).
   */
  record JobArtifacts(
      String namespace, String job, String title, List<FileRow> files, String note) {
    String deletePath() {
      return "/artifacts/" + namespace + "/" + job + "/delete";
    }
  }

  record ArtifactsView(Page page, Map<String, String> filters, List<JobArtifacts> jobs) {}
}
