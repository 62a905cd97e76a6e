package dev.cdds.operator.plugin;

import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.Destination;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.PvcDestination;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Source;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.api.Weekday;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl cdds create}: the "Add new job" form. The API server validates (the CRD's schema
 * and rules), so the messages are the server's own; {@code --dry-run} asks the server to validate
 * without storing and prints the manifest as given, for a GitOps repository: no field the server
 * fills in (uid, managedFields, defaults, status), so a pipeline's server-side apply owns only what
 * the person chose and applies it again without a diff.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Creates an ExportJob from flags, or asks for what is missing on a terminal.")
final class CreateCommand implements Callable<Integer> {
  @ParentCommand KubectlCdds parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "Name of the ExportJob.")
  String name;

  @Option(names = "--title", description = "Title (required).")
  String title;

  @Option(names = "--description", description = "Description.")
  String description;

  @Option(
      names = "--source",
      defaultValue = "ContactHistory",
      description = "ContactHistory or IWD.")
  String system;

  @Option(names = "--type", description = "Interaction or Contact (ContactHistory), Event (IWD).")
  SourceType type;

  @Option(names = "--media-types", split = ",", description = "Media types, comma-separated.")
  List<String> mediaTypes;

  @Option(names = "--entity-types", split = ",", description = "IWD entity types, comma-separated.")
  List<String> entityTypes;

  @Option(names = "--run", description = "Once, Hourly, Daily, Weekly or Monthly. Default: Once.")
  RunMode run;

  @Option(
      names = "--start-at",
      description =
          "When the job starts (RFC 3339). Once: omitted, now. Recurring: no run before it.")
  String startAt;

  @Option(
      names = "--start-now",
      description = "Recurring: run once as soon as the job is created, then on schedule.")
  boolean startNow;

  @Option(names = "--end-at", description = "Recurring: no run at or after it (RFC 3339).")
  String endAt;

  @Option(names = "--every-hours", description = "Hourly: every N hours.")
  Integer everyHours;

  @Option(names = "--minute", description = "Hourly: at this minute.")
  Integer minute;

  @Option(names = "--time", description = "Daily, Weekly, Monthly: at HH:MM.")
  String time;

  @Option(names = "--day-of-week", description = "Weekly: Monday … Sunday.")
  Weekday dayOfWeek;

  @Option(names = "--day-of-month", description = "Monthly: 1-31.")
  Integer dayOfMonth;

  @Option(names = "--time-zone", description = "IANA time zone of the schedule. Default: UTC.")
  String timeZone;

  @Option(
      names = "--timeframe",
      description = "All, FixedInterval, LastHours, LastDay, LastWeek, LastMonth, SinceLastRun.")
  TimeframeType timeframe;

  @Option(names = "--from", description = "FixedInterval: start (RFC 3339).")
  String from;

  @Option(names = "--to", description = "FixedInterval: end (RFC 3339).")
  String to;

  @Option(names = "--hours", description = "LastHours: how many hours.")
  Integer hours;

  @Option(names = "--format", description = "jsonl or csv. Default: jsonl.")
  String format;

  @Option(names = "--compression", description = "gzip, zstd or none. Default: gzip.")
  String compression;

  @Option(names = "--file-split-size", description = "Largest file, e.g. 256Mi.")
  String fileSplitSize;

  @Option(names = "--pvc", description = "Destination: this PersistentVolumeClaim.")
  String pvc;

  @Option(names = "--suspend", description = "Create it suspended.")
  boolean suspend;

  @Option(
      names = "--dry-run",
      description = "Validate on the server without creating, and print the ExportJob.")
  boolean dryRun;

  @Option(
      names = {"-o", "--output"},
      description = "yaml or json: print the created (or dry-run) ExportJob.")
  String output;

  @Override
  public Integer call() throws Exception {
    AddJobForm.askForWhatIsMissing(this, System.console());
    var job = new ExportJob();
    job.getMetadata().setName(name);
    job.setSpec(spec());
    try (var client = parent.client()) {
      String namespace = ExportJobLookup.namespace(parent, client);
      var resource = client.resources(ExportJob.class).inNamespace(namespace).resource(job);
      ExportJob created;
      if (dryRun) {
        resource.dryRun().create();
        created = job;
      } else {
        created = resource.create();
      }
      var out = spec.commandLine().getOut();
      if ("json".equals(output)) {
        out.println(Serialization.asJson(created));
      } else if ("yaml".equals(output) || dryRun) {
        out.print(Serialization.asYaml(created));
      } else {
        out.println("exportjob.cdds.dev/" + name + " created");
      }
      out.flush();
      return 0;
    }
  }

  ExportJobSpec spec() {
    var s = new ExportJobSpec();
    s.title = title;
    s.description = description;
    s.source = new Source();
    s.source.system = system;
    s.source.type = type;
    s.source.mediaTypes = mediaTypes;
    s.source.entityTypes = entityTypes;
    s.schedule = new Schedule();
    s.schedule.run = run == null ? RunMode.Once : run;
    s.schedule.startAt = startAt;
    s.schedule.startImmediately = startNow ? Boolean.TRUE : null;
    s.schedule.endAt = endAt;
    s.schedule.everyHours = everyHours;
    s.schedule.minute = minute;
    s.schedule.time = time;
    s.schedule.dayOfWeek = dayOfWeek;
    s.schedule.dayOfMonth = dayOfMonth;
    s.schedule.timeZone = timeZone;
    if (timeframe != null) {
      s.timeframe = new Timeframe();
      s.timeframe.type = timeframe;
      s.timeframe.start = from;
      s.timeframe.end = to;
      s.timeframe.hours = hours;
    }
    if (format != null || compression != null || fileSplitSize != null || pvc != null) {
      s.output = new Output();
      s.output.format = format == null ? null : OutputFormat.valueOf(format.toUpperCase());
      s.output.compression =
          compression == null ? null : Compression.valueOf(compression.toUpperCase());
      s.output.fileSplitSize = fileSplitSize == null ? null : new Quantity(fileSplitSize);
      if (pvc != null) {
        s.output.destination = new Destination();
        s.output.destination.pvc = new PvcDestination();
        s.output.destination.pvc.claimName = pvc;
      }
    }
    s.suspend = suspend ? Boolean.TRUE : null;
    return s;
  }

  /** On a terminal, asks for the required fields no flag gave, as the page's form does. */
}
