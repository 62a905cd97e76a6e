package dev.cdds.operator.reconciler;

import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.RunRecord;
import dev.cdds.operator.api.RunResult;
import dev.cdds.operator.schedule.ExportWindow;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How the windows of a SinceLastRun job's successful runs tile time: where its exported data ends
 * (status.exportedThrough, where the next run starts) and which data no run exported (a gap, left
 * when a run could catch up only maxCatchUp). A rerun moves the end only when it continues it.
 */
final class Tiling {
  private Tiling() {}

  /**
   * The new end of the exported data; marks each of {@code newRuns} that leaves a gap before it. A
   * job that has exported nothing yet starts where its first run's window started, whatever became
   * of that run: a first run that failed or was missed is caught up too.
   */
  static Optional<String> exportedThrough(
      ExportJobSpec spec, String previous, List<RunRecord> newRuns) {
    if (!ExportWindow.tiles(spec.timeframe, spec.schedule)) {
      return Optional.empty();
    }
    Instant through = previous == null ? null : Instant.parse(previous);
    List<RunRecord> oldestFirst =
        newRuns.stream()
            .filter(r -> r.scheduledAt != null)
            .sorted(Comparator.comparing((RunRecord r) -> r.scheduledAt).thenComparing(r -> r.id))
            .toList();
    for (RunRecord run : oldestFirst) {
      if (run.result != RunResult.Succeeded || run.windowEnd == null) {
        if (through == null && run.rerunOf == null) {
          through =
              ExportWindow.of(
                      spec.timeframe,
                      spec.schedule,
                      Instant.parse(run.scheduledAt),
                      Optional.empty())
                  .start()
                  .orElse(null);
        }
        continue;
      }
      Instant start = run.windowStart == null ? null : Instant.parse(run.windowStart);
      Instant end = Instant.parse(run.windowEnd);
      boolean continues = through == null || start == null || !start.isAfter(through);
      if (run.rerunOf != null && (through == null || !continues)) {
        continue;
      }
      if (!continues) {
        run.gapStart = through.toString();
        run.gapEnd = start.toString();
      }
      if (through == null || end.isAfter(through)) {
        through = end;
      }
    }
    return Optional.ofNullable(through).map(Instant::toString);
  }
}
