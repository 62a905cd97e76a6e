package dev.cdds.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.ProductImage;
import dev.cdds.localcluster.SampleData;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.runcontract.PodEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The image built from the Dockerfile, run as a user runs it: its help, and an export from a
 * PostgreSQL whose certificate a private CA signed, on a read-only root as the image's non-root
 * user, in a time zone the image must know, gzipped by the image's libdeflate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageIT {
  private static final List<String> PODMAN =
      List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs");
  private static final String ZONE = "Asia/Kolkata";
  private static final Instant SCHEDULED =
      LocalDate.of(2026, 3, 2).atTime(2, 0).atZone(ZoneId.of(ZONE)).toInstant();

  private final String image = ProductImage.name();
  private Path work;
  private PostgresServer postgres;

  @BeforeAll
  void databaseWithAPrivateCa() throws Exception {
    work = Files.createTempDirectory(Files.createDirectories(WorkDirectory.path()), "image-");
    postgres = PostgresServer.start(WorkDirectory.path(), "postgres-image");
    try (var db = postgres.connect()) {
      SampleData.load(db, 2_000, 5);
    }
    Path ca = certificateAuthority(work.resolve("ca"), "cdds test CA");
    openssl(
        ca,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr");
    Files.writeString(ca.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(
        ca,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.crt");
    postgres.enableTls(ca.resolve("server.crt"), ca.resolve("server.key"));
    // Another CA, which did not sign the database's certificate.
    certificateAuthority(work.resolve("other-ca"), "someone else");
  }

  @AfterAll
  void stop() throws Exception {
    postgres.close();
  }

  @Test
  void theImageShowsTheOperatorsHelp() throws Exception {
    var run = podman(List.of("run", "--rm", image, "operator", "--help"), Map.of());

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("Usage: cdds-operator operator", "--export-image");
  }

  @Test
  void anExportRunsAsTheImagesNonRootUserOnAReadOnlyRootWithTheMountedCa() throws Exception {
    Path out = writable("out");
    var run = export(out, work.resolve("ca"));

    assertThat(run.exit()).as(run.output()).isZero();
    // The image's libdeflate, loaded as its user with /tmp the only place to write.
    assertThat(run.output()).contains("gzip by libdeflate");
    Path runDir = out.resolve("ns/kolkata/" + runId());
    JsonNode manifest = new ObjectMapper().readTree(runDir.resolve("manifest.json").toFile());
    // The previous day in Kolkata: the image resolved the zone (tzdata).
    Instant dayStart = LocalDate.of(2026, 3, 1).atStartOfDay(ZoneId.of(ZONE)).toInstant();
    assertThat(manifest.path("windowStart").asText()).isEqualTo(dayStart.toString());
    assertThat(manifest.path("windowEnd").asText())
        .isEqualTo(dayStart.plusSeconds(86_400).toString());
    assertThat(manifest.path("records").asLong())
        .isEqualTo(interactionsBetween(dayStart, dayStart.plusSeconds(86_400)))
        .isPositive();
    assertThat(Files.getAttribute(runDir.resolve("manifest.json"), "unix:uid")).isEqualTo(10001);
  }

  @Test
  void aDatabaseCertificateNotSignedByTheMountedCaIsRefused() throws Exception {
    var run = export(writable("refused"), work.resolve("other-ca"));

    assertThat(run.exit()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("source database").containsIgnoringCase("certificate");
  }

  @Test
  void anExportPodLoadsMostOfItsClassesFromTheImagesSharedArchive() throws Exception {
    Path out = writable("cds");
    // Beside the image's own options (JAVA_TOOL_OPTIONS): where the JVM says each class came from.
    var run =
        export(
            out,
            work.resolve("ca"),
            Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load:file=/tmp/class-load.log"));

    assertThat(run.exit()).as(run.output()).isZero();
    List<String> loaded = Files.readAllLines(work.resolve("tmp-cds/class-load.log"));
    long shared = loaded.stream().filter(line -> line.contains("source: shared objects")).count();
    // Parsed and verified when the image was built, not in each pod (docs/image.md): about 70 %
    // (what a TLS connection adds is not in the archive); the JDK's own archive alone, a third.
    assertThat(shared)
        .as("classes of %d from the archive", loaded.size())
        .isGreaterThan(loaded.size() * 3L / 5);
  }

  private Result export(Path out, Path ca) throws Exception {
    return export(out, ca, Map.of());
  }

  /** An export of the image, its pod given {@code moreEnv} as well. */
  private Result export(Path out, Path ca, Map<String, String> moreEnv) throws Exception {
    String spec =
        "{\"title\":\"t\",\"source\":{\"system\":\"ContactHistory\",\"type\":\"Interaction\","
            + "\"includeAttachments\":false},\"schedule\":{\"run\":\"Daily\",\"time\":\"02:00\","
            + "\"timeZone\":\""
            + ZONE
            + "\"},\"timeframe\":{\"type\":\"LastDay\"}}";
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                PodEnv.SPEC,
                spec,
                PodEnv.NAMESPACE,
                "ns",
                PodEnv.EXPORTJOB,
                "kolkata",
                PodEnv.RUN_ID,
                runId(),
                PodEnv.SOURCE_URL,
                "jdbc:postgresql://127.0.0.1:"
                    + postgres.port()
                    + "/cdds?sslmode=verify-full&sslrootcert=/etc/cdds/ca/ca.crt",
                PodEnv.SOURCE_USER,
                PostgresServer.USER,
                PodEnv.SOURCE_PASSWORD,
                PostgresServer.PASSWORD,
                PodEnv.OUTPUT_DIR,
                "/export",
                PodEnv.TERMINATION_LOG,
                "/dev/stdout"));
    env.putAll(moreEnv);
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--rm",
                "--network",
                "host",
                "--read-only",
                "--read-only-tmpfs=false",
                "--volume",
                out + ":/export",
                "--volume",
                writable("tmp-" + out.getFileName()) + ":/tmp",
                "--volume",
                ca + ":/etc/cdds/ca:ro"));
    env.keySet().forEach(name -> args.addAll(List.of("--env", name)));
    args.addAll(List.of(image, "export", "--progress=log"));
    return podman(args, env);
  }

  private static String runId() {
    return "kolkata-" + SCHEDULED.getEpochSecond() / 60;
  }

  private long interactionsBetween(Instant from, Instant to) throws Exception {
    try (var db = postgres.connect();
        var query =
            db.prepareStatement(
                "SELECT count(*) FROM interactions WHERE started_at >= ? AND started_at < ?")) {
      query.setTimestamp(1, Timestamp.from(from));
      query.setTimestamp(2, Timestamp.from(to));
      try (var rs = query.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A directory the image's user (uid 10001) may write, as an fsGroup volume would be. */
  private Path writable(String name) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.setAttribute(dir, "unix:uid", 10001);
    return dir;
  }

  private record Result(int exit, String output) {}

  private static Result podman(List<String> args, Map<String, String> env) throws Exception {
    List<String> argv = new ArrayList<>(PODMAN);
    argv.addAll(
        List.of(args.get(0), "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096"));
    argv.addAll(args.subList(1, args.size()));
    var builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), output);
  }

  /** A CA's key and self-signed certificate, {@code ca.key} and {@code ca.crt} in {@code dir}. */
  private static Path certificateAuthority(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    return dir;
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
  }
}
