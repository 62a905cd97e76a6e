package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.runcontract.PrintableText;

/** {@code kubectl cdds history NAME --run ID}: one run, every fact history keeps of it. */
final class RunDetails {
  private RunDetails() {}

  static String of(ExportJob job, RunRecord r) {
    var out = new StringBuilder();
    line(out, "Run", r.id);
    line(out, "Job", job.getMetadata().getNamespace() + "/" + job.getMetadata().getName());
    line(
        out,
        "Result",
        (r.result == null ? "" : r.result.name())
            + (r.reason == null ? "" : " (" + r.reason + ")")
            + filesGone(
                r,
                ", expired: its files were deleted",
                ", deleted: its files were deleted as asked"));
    line(out, "Trigger", HistoryCommand.trigger(r));
    line(out, "Scheduled", Describe.minute(r.scheduledAt));
    line(out, "Started", Describe.minute(r.startedAt));
    line(out, "Finished", Describe.minute(r.finishedAt));
    line(out, "Duration", Describe.duration(r.startedAt, r.finishedAt));
    line(out, "Window", HistoryCommand.window(r));
    line(out, "Records", r.records == null ? "" : r.records.toString());
    line(out, "Skipped", r.skippedRecords == null ? "" : r.skippedRecords + " bad record(s)");
    line(out, "Bytes", Describe.bytes(r.bytes));
    line(out, "Files", r.files == null ? "" : r.files.toString());
    line(out, "Attempts", r.attempts == null ? "" : r.attempts.toString());
    line(out, "Manifest", r.manifest);
    line(out, "Message", HistoryCommand.message(r));
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    if (value != null && !value.isEmpty()) {
      out.append(String.format("%-10s ", label + ":"))
          .append(PrintableText.line(value))
          .append('\n');
    }
  }

  /** What tells that a run's files are gone: {@code expired} or {@code deleted} on request. */
  static String filesGone(RunRecord r, String expired, String deleted) {
    if (Boolean.TRUE.equals(r.deleted)) {
      return deleted;
    }
    return Boolean.TRUE.equals(r.expired) ? expired : "";
  }
}
