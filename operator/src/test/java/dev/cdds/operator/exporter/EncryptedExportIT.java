package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.localcluster.CommandResult;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.WorkDirectory;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.api.RunMode;
import dev.cdds.operator.api.Schedule;
import dev.cdds.operator.api.Source;
import dev.cdds.operator.api.SourceType;
import dev.cdds.operator.api.Timeframe;
import dev.cdds.operator.api.TimeframeType;
import dev.cdds.operator.entrypoint.Main;
import dev.cdds.operator.exporter.files.CmsEnvelope;
import dev.cdds.operator.exporter.files.FileEnvelope;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.runcontract.RecipientCertificate;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.storage.DirectoryStore;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.storage.S3Store;
import dev.cdds.operator.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Encrypted exports from a real PostgreSQL to a directory and a real S3-compatible server, read
 * back with {@code openssl cms -decrypt} and {@code kubectl cdds decrypt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// One exporter test class at a time: they add rows to the PostgreSQL they share.
@ResourceLock(ExportFixture.DATABASE)
class EncryptedExportIT {
  private static final Instant SCHEDULED = Instant.parse("2026-07-01T00:00:00Z");
  private static final String BUCKET = "sealed";
  private static final String MARKER = "MARKER-c0ffee-do-not-leak";

  @RegisterExtension static final ExportFixture fixture = new ExportFixture();

  private Path work;
  private TestCertificates.Recipient rsa;
  private TestCertificates.Recipient ec;
  private int runs;

  private enum Destination {
    DIRECTORY,
    S3
  }

  /** A run's stored files, by name, and its manifest. */
  private record Stored(Manifest manifest, Map<String, byte[]> files) {}

  @BeforeAll
  void start() throws Exception {
    Path base = WorkDirectory.path();
    fixture.s3Server().createBucket(BUCKET);
    // A text only this test's records carry: found in the plain export, absent from sealed bytes.
    try (var db = fixture.postgres().connect()) {
      db.createStatement()
          .execute(
              "UPDATE interactions SET subject = '"
                  + MARKER
                  + "' WHERE id = (SELECT min(id) FROM interactions)");
    }
    work = Files.createTempDirectory(base, "encrypted-");
    rsa = TestCertificates.rsa(work.resolve("keys"), "rsa-recipient");
    ec = TestCertificates.ec(work.resolve("keys"), "ec-recipient");
  }

  @Test
  void everyFileDecryptsWithOpensslToExactlyThePlainExport() throws Exception {
    for (OutputFormat format : OutputFormat.values()) {
      for (Compression compression : Compression.values()) {
        List<String> plain =
            records(run(spec(format, compression, null), null, Destination.DIRECTORY));
        for (Destination destination : Destination.values()) {
          for (String split : new String[] {null, "256Ki"}) {
            String what = format + " " + compression + " " + destination + " split " + split;
            Stored sealed = run(spec(format, compression, split), rsa, destination);

            assertThat(sealed.manifest().encryption().recipient()).contains("CN=rsa-recipient");
            assertThat(sealed.manifest().files())
                .as(what)
                .allSatisfy(f -> assertThat(f.name()).endsWith(".p7m"));
            if (split != null) {
              assertThat(sealed.manifest().files()).as(what).hasSizeGreaterThan(1);
              assertThat(sealed.manifest().files())
                  .allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(256 * 1024));
            }
            checkSizesAndChecksums(sealed);
            assertThat(records(decryptedWithOpenssl(sealed, rsa))).as(what).isEqualTo(plain);
          }
        }
      }
    }
  }

  @Test
  void anEcCertificateWorksAsWellWithOpensslAndTheKubectlPlugin() throws Exception {
    var spec = spec(OutputFormat.JSONL, Compression.GZIP, "256Ki");
    List<String> plain = records(run(spec, null, Destination.DIRECTORY));

    Stored sealed = run(spec, ec, Destination.S3);

    assertThat(records(decryptedWithOpenssl(sealed, ec))).isEqualTo(plain);
    Path dir = Files.createDirectories(work.resolve("plugin-" + runs));
    List<String> args = new ArrayList<>(List.of("cdds", "decrypt", "--key", ec.key().toString()));
    for (var file : sealed.files().entrySet()) {
      Files.write(dir.resolve(file.getKey()), file.getValue());
      args.add(dir.resolve(file.getKey()).toString());
    }
    var out = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).execute(args.toArray(String[]::new));
    assertThat(exit).isZero();
    Map<String, byte[]> decrypted = new java.util.TreeMap<>();
    for (String name : sealed.files().keySet()) {
      String plainName = name.substring(0, name.length() - ".p7m".length());
      assertThat(out.toString()).contains(dir.resolve(plainName).toString());
      decrypted.put(plainName, Files.readAllBytes(dir.resolve(plainName)));
    }
    assertThat(records(new Stored(sealed.manifest(), decrypted))).isEqualTo(plain);
  }

  @Test
  void noPlaintextByteOfAKnownRowReachesTheDestination() throws Exception {
    var spec = spec(OutputFormat.CSV, Compression.NONE, null);
    // The control: without encryption the marker is there to be found.
    assertThat(contains(run(spec, null, Destination.DIRECTORY), MARKER)).isTrue();

    for (Destination destination : Destination.values()) {
      Stored sealed = run(spec, rsa, destination);

      assertThat(contains(sealed, MARKER)).as(destination.name()).isFalse();
      assertThat(sealed.files().keySet())
          .allSatisfy(name -> assertThat(name).matches("(part|attachments)-\\d{5}\\.csv\\.p7m"));
    }
  }

  @Test
  void theWrongKeyFailsCleanlyAndLeavesNoOutput() throws Exception {
    Stored sealed =
        run(spec(OutputFormat.JSONL, Compression.GZIP, null), rsa, Destination.DIRECTORY);
    var other = TestCertificates.rsa(work.resolve("keys"), "someone-else");
    String name = sealed.manifest().files().get(0).name();
    Path file = Files.createDirectories(work.resolve("wrong-key")).resolve(name);
    Files.write(file, sealed.files().get(name));

    CommandResult openssl =
        other.opensslDecrypt(file, Files.createTempDirectory(work, "openssl").resolve("plain"));
    assertThat(openssl.exitCode()).isNotZero();

    var err = new StringWriter();
    int exit =
        Main.commandLine()
            .setErr(new PrintWriter(err))
            .execute("cdds", "decrypt", "--key", other.key().toString(), file.toString());
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("error: " + file + ": the key is not the one this file was encrypted for")
        .doesNotContain("\tat ");
    try (Stream<Path> left = Files.list(file.getParent())) {
      assertThat(left).containsExactly(file);
    }
  }

  private static boolean contains(Stored stored, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    return stored.files().values().stream().anyMatch(bytes -> indexOf(bytes, needle) >= 0);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void checkSizesAndChecksums(Stored stored) throws Exception {
    var listed = new ArrayList<>(stored.manifest().files());
    if (stored.manifest().attachments() != null) {
      listed.addAll(stored.manifest().attachments().files());
    }
    for (PartFile file : listed) {
      byte[] content = stored.files().get(file.name());
      assertThat(content).as(file.name()).hasSize((int) file.bytes());
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
          .isEqualTo(file.sha256());
    }
  }

  /** Each file decrypted by {@code openssl cms -decrypt}, under its name without {@code .p7m}. */
  private Stored decryptedWithOpenssl(Stored sealed, TestCertificates.Recipient recipient)
      throws Exception {
    Path dir = Files.createDirectories(work.resolve("openssl-" + (++runs)));
    Map<String, byte[]> plain = new java.util.TreeMap<>();
    for (var file : sealed.files().entrySet()) {
      Path encrypted = dir.resolve(file.getKey());
      Files.write(encrypted, file.getValue());
      String name = file.getKey().substring(0, file.getKey().length() - ".p7m".length());
      CommandResult result = recipient.opensslDecrypt(encrypted, dir.resolve(name));
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      plain.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    return new Stored(sealed.manifest(), plain);
  }

  /**
   * The records of a run's part files in order, decompressed, without the CSV header each part
   * repeats: what the export says, whatever its split.
   */
  private static List<String> records(Stored stored) throws IOException {
    List<String> lines = new ArrayList<>();
    for (PartFile file : stored.manifest().files()) {
      String name =
          file.name().endsWith(".p7m")
              ? file.name().substring(0, file.name().length() - ".p7m".length())
              : file.name();
      List<String> fileLines =
          ExportFixture.uncompressed(name, stored.files().get(name)).lines().toList();
      lines.addAll(name.contains(".csv") ? fileLines.subList(1, fileLines.size()) : fileLines);
    }
    return lines;
  }

  private Stored run(ExportJobSpec spec, TestCertificates.Recipient recipient, Destination kind)
      throws IOException {
    String job = "job" + (++runs);
    var target = new RunTarget("ns", job, job + "-" + SCHEDULED.getEpochSecond() / 60);
    FileEnvelope envelope =
        recipient == null
            ? FileEnvelope.NONE
            : new CmsEnvelope(
                RecipientCertificate.parse(recipient.certificatePem(), Instant.now()));
    RunSummary summary;
    RunStore store = store(kind, target);
    summary =
        new ExportRun(
                spec,
                target,
                SCHEDULED,
                ExportFixture.window(spec, SCHEDULED),
                (d, t, b, f) -> {},
                Clock.systemUTC(),
                envelope)
            .execute(
                store,
                new SourceDatabase(
                    fixture.postgres().url(),
                    PostgresServer.USER,
                    PostgresServer.PASSWORD,
                    SourceNames.DOCUMENTED));

    assertThat(summary.error()).isNull();
    Map<String, byte[]> files = new java.util.TreeMap<>();
    if (kind == Destination.DIRECTORY) {
      try (Stream<Path> paths = Files.list(work.resolve("out").resolve(target.folder()))) {
        for (Path path : paths.toList()) {
          files.put(path.getFileName().toString(), Files.readAllBytes(path));
        }
      }
    } else {
      for (String key : fixture.s3Server().keys(BUCKET, target.folder())) {
        files.put(key.substring(target.folder().length()), fixture.s3Server().read(BUCKET, key));
      }
    }
    Manifest manifest = Manifest.parse(files.remove(Manifest.FILE));
    return new Stored(manifest, files);
  }

  private RunStore store(Destination kind, RunTarget target) {
    return kind == Destination.DIRECTORY
        ? new DirectoryStore(work.resolve("out"), target)
        : new S3Store(fixture.s3(), BUCKET, target.folder(), 5 * 1024 * 1024);
  }

  private static ExportJobSpec spec(OutputFormat format, Compression compression, String split) {
    var spec = new ExportJobSpec();
    spec.title = "encrypted";
    spec.source = new Source();
    spec.source.system = "ContactHistory";
    spec.source.type = SourceType.Interaction;
    spec.schedule = new Schedule();
    spec.schedule.run = RunMode.Once;
    spec.timeframe = new Timeframe();
    spec.timeframe.type = TimeframeType.All;
    spec.output = new Output();
    spec.output.format = format;
    spec.output.compression = compression;
    spec.output.fileSplitSize = split == null ? null : new Quantity(split);
    return spec;
  }
}
