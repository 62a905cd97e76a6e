package dev.cdds.operator.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of the processes of a benchmark by name, from the operating system: where the cores went
 * while something was measured, when everything shares one machine.
 */
record ProcessCpu(Map<String, Duration> byName) {
  /** The CPU time each of {@code pids} (by name) has used so far. */
  static ProcessCpu of(Map<String, Long> pids) {
    Map<String, Duration> used = new LinkedHashMap<>();
    pids.forEach((name, pid) -> used.put(name, used(pid)));
    return new ProcessCpu(used);
  }

  /** The CPU time process {@code pid} has used so far; zero once it is gone. */
  static Duration used(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
  }

  /** {@code name:seconds,…} of what each process used since {@code before}. */
  String since(ProcessCpu before) {
    return byName.entrySet().stream()
        .map(
            e ->
                String.format(
                    Locale.ROOT,
                    "%s:%.0f",
                    e.getKey(),
                    e.getValue()
                            .minus(before.byName.getOrDefault(e.getKey(), Duration.ZERO))
                            .toMillis()
                        / 1000.0))
        .collect(Collectors.joining(","));
  }
}
