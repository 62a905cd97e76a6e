package dev.cdds.operator.testing;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.ExportJobCondition;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Source;
import dev.cdds.operator.api.SourceType;
import java.util.Optional;

/** ExportJobs for tests. */
public final class ExportJobs {
  private ExportJobs() {}

  public static ExportJob daily(String name, String time, String zone) {
    var schedule = new Schedule();
    schedule.run = RunMode.Daily;
    schedule.time = time;
    schedule.timeZone = zone;
    return job(name, schedule);
  }

  public static ExportJob daily(String name, java.time.Instant at) {
    return daily(name, at.atOffset(java.time.ZoneOffset.UTC).toLocalTime().toString(), "UTC");
  }

  public static ExportJob once(String name) {
    var schedule = new Schedule();
    schedule.run = RunMode.Once;
    return job(name, schedule);
  }

  public static ExportJob job(String name, Schedule schedule) {
    var job = new ExportJob();
    job.getMetadata().setName(name);
    var spec = new ExportJobSpec();
    spec.title = "Test " + name;
    spec.source = new Source();
    spec.source.system = "ContactHistory";
    spec.source.type = SourceType.Interaction;
    spec.schedule = schedule;
    job.setSpec(spec);
    return job;
  }

  public static Optional<ExportJobCondition> condition(ExportJob job, String type) {
    if (job == null || job.getStatus() == null || job.getStatus().conditions == null) {
      return Optional.empty();
    }
    return job.getStatus().conditions.stream().filter(c -> type.equals(c.type)).findFirst();
  }

  public static boolean hasCondition(ExportJob job, String type, String status, String reason) {
    return condition(job, type)
        .filter(c -> status.equals(c.status) && (reason == null || reason.equals(c.reason)))
        .isPresent();
  }
}
