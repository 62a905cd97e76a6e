package dev.cdds.operator.plugin;

import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.schedule.RunIds;
import dev.cdds.operator.storage.ExportJobArchive;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.UntrustedManifestException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Artifacts of a job: every file of the runs its destination still keeps, from their manifests,
 * for {@code kubectl cdds files} and the dashboard. A run whose manifest is refused (storage
 * written by someone hostile) is named, and does not hide the others.
 */
record KeptFiles(List<KeptFile> files, List<String> refused, int runs) {
  /** One file of a kept run, with when the run was written and the days left before it expires. */
  record KeptFile(String run, PartFile file, String created, String daysLeft) {}

  /** The files of every run of {@code archive}, or of {@code onlyRun}, which must be there. */
  static KeptFiles of(ExportJob job, ExportJobArchive archive, Optional<String> onlyRun)
      throws IOException {
    List<KeptFile> files = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int runs = 0;
    List<String> ids = onlyRun.map(List::of).orElse(archive.runIds());
    for (String id : ids) {
      Optional<Instant> scheduledAt = RunIds.scheduledAt(id);
      Optional<Manifest> manifest;
      try {
        manifest = scheduledAt.isEmpty() ? Optional.empty() : archive.run(id).completed();
      } catch (UntrustedManifestException e) {
        if (onlyRun.isPresent()) {
          throw e;
        }
        refused.add("run " + id + " refused: " + e.getMessage());
        continue;
      }
      if (manifest.isEmpty()) {
        if (onlyRun.isPresent()) {
          throw new IllegalArgumentException(
              "run " + id + " has no manifest in " + archive.location() + id + "/");
        }
        continue;
      }
      runs++;
      String left = daysLeft(job, scheduledAt.get(), Instant.now());
      for (PartFile file : manifest.get().allFiles()) {
        files.add(new KeptFile(id, file, Describe.minute(manifest.get().completedAt()), left));
      }
    }
    return new KeptFiles(List.copyOf(files), List.copyOf(refused), runs);
  }

  /** Whole days until the run expires (0 in its last day), or "forever". */
  static String daysLeft(ExportJob job, Instant scheduledAt, Instant now) {
    int days = Output.retentionDays(job.getSpec().output);
    if (days == 0) {
      return "forever";
    }
    Duration left = Duration.between(now, scheduledAt.plus(Duration.ofDays(days)));
    return Long.toString(Math.max(0, left.toDays()));
  }
}
