package dev.cdds.operator.bench;

import dev.cdds.localcluster.ImageLaunchers;
import dev.cdds.localcluster.LoopbackControlPlane;
import dev.cdds.operator.api.ExportJob;
import dev.cdds.operator.testing.ExportJobs;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hack/bench/plugin.sh}: how long {@code kubectl cdds list}, {@code describe} and {@code
 * history} take as a person runs them (the installed launcher, a whole process each) against a real
 * API server holding 20 ExportJobs, next to {@code kubectl get ej} on the same objects: the median
 * of 10 runs after a warm-up, wall time and peak RSS by {@code /usr/bin/time}. Prints {@code
 * plugin-detail: …} and, last, {@code plugin: list_s=X.XX get_ej_s=X.XX ratio=X.X}.
 *
 * <p>Beside them, the floor under any JVM implementation of the command: {@link TlsRequestFloor},
 * the same request with the JDK alone, with the launcher's JVM options and an application class
 * archive, and, when a Java of 25 or later is given as the fourth argument, with its ahead-of-time
 * cache (JEP 483 and 514).
 */
public final class PluginBenchmark {
  private static final int JOBS = 20;
  private static final int RUNS = 10;

  /** The launcher's default JVM options: {@code opts=${CDDS_JAVA_OPTS:-…}}. */
  private static final Pattern LAUNCHER_OPTIONS =
      Pattern.compile("opts=\\$\\{CDDS_JAVA_OPTS:-([^}]*)}");

  private PluginBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path binaries = Path.of(args[1]);
    Path launcher = Path.of(args[2]).toAbsolutePath();
    Optional<Path> aotJava = args.length > 3 ? Optional.of(Path.of(args[3])) : Optional.empty();
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
      var floorCommand =
          new FloorCommand(floorJar(dir), launcherOptions(launcher), floorRequest(client, dir, ns));
      Path thisJava = Path.of(System.getProperty("java.home"), "bin", "java");
      Result floor =
          measure(
              kubeconfig,
              floorCommand.on(thisJava, "-XX:SharedArchiveFile=" + dir.resolve("floor.jsa")),
              floorCommand.on(thisJava, "-XX:ArchiveClassesAtExit=" + dir.resolve("floor.jsa")));
      Optional<Result> floorAot =
          aotJava.isEmpty()
              ? Optional.empty()
              : Optional.of(
                  measure(
                      kubeconfig,
                      floorCommand.on(aotJava.get(), "-XX:AOTCache=" + dir.resolve("floor.aot")),
                      floorCommand.on(
                          aotJava.get(), "-XX:AOTCacheOutput=" + dir.resolve("floor.aot"))));
      System.out.printf(
          Locale.ROOT,
          "plugin-detail: list_s=%.2f describe_s=%.2f history_s=%.2f get_ej_s=%.2f"
              + " list_rss_mib=%d describe_rss_mib=%d history_rss_mib=%d floor_s=%.2f"
              + " floor_aot_s=%s%n",
          list.seconds(),
          describe.seconds(),
          history.seconds(),
          getEj.seconds(),
          list.rssMib(),
          describe.rssMib(),
          history.rssMib(),
          floor.seconds(),
          floorAot.map(r -> String.format(Locale.ROOT, "%.2f", r.seconds())).orElse("none"));
      System.out.printf(
          Locale.ROOT,
          "plugin: list_s=%.2f get_ej_s=%.2f ratio=%.1f%n",
          list.seconds(),
          getEj.seconds(),
          list.seconds() / getEj.seconds());
    }
  }

  /**
   * {@link TlsRequestFloor}'s arguments: the list the plugin reads, the CA, the token's file (not
   * the token: a failed command is printed whole).
   */
  private static List<String> floorRequest(KubernetesClient client, Path dir, String namespace)
      throws Exception {
    var config = client.getConfiguration();
    Path ca = dir.resolve("floor-ca.crt");
    Files.write(ca, Base64.getDecoder().decode(config.getCaCertData()));
    String url =
        config.getMasterUrl().replaceAll("/$", "")
            + "/apis/cdds.dev/v1alpha1/namespaces/"
            + namespace
            + "/exportjobs";
    Path token = dir.resolve("floor-token");
    Files.writeString(token, config.getOauthToken());
    return List.of(url, ca.toString(), token.toString());
  }

  /**
   * The JVM options the launcher starts the plugin with, read from the launcher itself (its shell
   * preamble, before the jar appended to it), so that the floor starts as the plugin does.
   */
  private static List<String> launcherOptions(Path launcher) throws IOException {
    byte[] head;
    try (var in = Files.newInputStream(launcher)) {
      head = in.readNBytes(8192);
    }
    Matcher options = LAUNCHER_OPTIONS.matcher(new String(head, StandardCharsets.ISO_8859_1));
    if (!options.find()) {
      throw new IllegalStateException(launcher + " sets no default JVM options (opts=...)");
    }
    return List.of(options.group(1).trim().split("\\s+"));
  }

  /** {@link TlsRequestFloor} from {@code jar}, started with the launcher's {@code options}. */
  private record FloorCommand(Path jar, List<String> options, List<String> request) {
    /** The command on {@code java}, with its class archive or cache option {@code cache}. */
    List<String> on(Path java, String cache) {
      List<String> command = new ArrayList<>(List.of(java.toString()));
      command.addAll(options);
      command.addAll(List.of(cache, "-cp", jar.toString(), TlsRequestFloor.class.getName()));
      command.addAll(request);
      return command;
    }
  }

  /**
   * A jar of {@link TlsRequestFloor} alone: the JVM archives classes only from jars, and the
   * floor's class path holds nothing else, as the launcher's holds its one jar.
   */
  private static Path floorJar(Path dir) throws IOException {
    Path jar = dir.resolve("floor.jar");
    String entry = TlsRequestFloor.class.getName().replace('.', '/') + ".class";
    try (var out = new JarOutputStream(Files.newOutputStream(jar));
        var in = TlsRequestFloor.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
    }
    return jar;
  }

  /** Medians of wall time and peak RSS over {@link #RUNS} runs, after one not counted. */
  private record Result(double seconds, long rssMib) {}

  private static Result measure(Path kubeconfig, List<String> command) throws Exception {
    return measure(kubeconfig, command, command);
  }

  /** {@code warmUp} first, not counted (it may write a cache {@code command} reads), then runs. */
  private static Result measure(Path kubeconfig, List<String> command, List<String> warmUp)
      throws Exception {
    List<Double> seconds = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    for (int run = 0; run <= RUNS; run++) {
      Path times = Files.createTempFile("time", ".txt");
      List<String> argv =
          new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M", "-o", times.toString()));
      argv.addAll(run == 0 ? warmUp : command);
      var builder = new ProcessBuilder(argv).redirectErrorStream(true);
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().remove("JAVA_TOOL_OPTIONS");
      Process p = builder.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", argv) + " failed:\n" + output);
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
