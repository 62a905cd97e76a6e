package dev.cdds.operator.bench;

import dev.cdds.localcluster.ImageLaunchers;
import dev.cdds.localcluster.LoopbackControlPlane;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.testing.ExportJobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code hack/bench/plugin.sh}: how long {@code kubectl cdds list}, {@code describe} and {@code
 * history} take as a person runs them (the installed launcher, a whole process each) against a real
 * API server holding 20 ExportJobs, next to {@code kubectl get ej} on the same objects: the median
 * of 10 runs after a warm-up, wall time and peak RSS by {@code /usr/bin/time}. Prints {@code
 * plugin-detail: …} and, last, {@code plugin: list_s=X.XX get_ej_s=X.XX ratio=X.X}.
 */
public final class PluginBenchmark {
  private static final int JOBS = 20;
  private static final int RUNS = 10;

  private PluginBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path binaries = Path.of(args[1]);
    Path launcher = Path.of(args[2]).toAbsolutePath();
    try (var plane = LoopbackControlPlane.start(binaries, dir, new ImageLaunchers())) {
      var client = plane.client();
      BenchNamespace.prepare(client);
      var jobs = client.resources(ExportJob.class).inNamespace(BenchNamespace.NAME);
      for (int i = 0; i < JOBS; i++) {
        var job = ExportJobs.daily("job-" + i, String.format("%02d:%02d", i % 24, i), "UTC");
        job.getSpec().suspend = true;
        jobs.resource(job).create();
      }
      Path kubeconfig = plane.kubeconfig();
      String ns = BenchNamespace.NAME;
      Result list = measure(kubeconfig, List.of(launcher.toString(), "list", "-n", ns));
      Result describe =
          measure(kubeconfig, List.of(launcher.toString(), "describe", "job-0", "-n", ns));
      Result history =
          measure(kubeconfig, List.of(launcher.toString(), "history", "job-0", "-n", ns));
      Result getEj =
          measure(
              kubeconfig, List.of(binaries.resolve("kubectl").toString(), "get", "ej", "-n", ns));
      System.out.printf(
          Locale.ROOT,
          "plugin-detail: list_s=%.2f describe_s=%.2f history_s=%.2f get_ej_s=%.2f"
              + " list_rss_mib=%d describe_rss_mib=%d history_rss_mib=%d%n",
          list.seconds(),
          describe.seconds(),
          history.seconds(),
          getEj.seconds(),
          list.rssMib(),
          describe.rssMib(),
          history.rssMib());
      System.out.printf(
          Locale.ROOT,
          "plugin: list_s=%.2f get_ej_s=%.2f ratio=%.1f%n",
          list.seconds(),
          getEj.seconds(),
          list.seconds() / getEj.seconds());
    }
  }

  /** Medians of wall time and peak RSS over {@link #RUNS} runs, after one not counted. */
  private record Result(double seconds, long rssMib) {}

  private static Result measure(Path kubeconfig, List<String> command) throws Exception {
    List<Double> seconds = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    for (int run = 0; run <= RUNS; run++) {
      Path times = Files.createTempFile("time", ".txt");
      List<String> argv =
          new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M", "-o", times.toString()));
      argv.addAll(command);
      var builder = new ProcessBuilder(argv).redirectErrorStream(true);
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().remove("JAVA_TOOL_OPTIONS");
      Process p = builder.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
      String[] measured = Files.readString(times).trim().split(" ");
      Files.delete(times);
      if (run > 0) {
        seconds.add(Double.parseDouble(measured[0]));
        rss.add(Long.parseLong(measured[1]) / 1024);
      }
    }
    return new Result(
        median(seconds), Math.round(median(rss.stream().map(Long::doubleValue).toList())));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
