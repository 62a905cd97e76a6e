package dev.cdds.operator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.cdds.localcluster.PostgresServer;
import dev.cdds.localcluster.S3Server;
import dev.cdds.localcluster.SampleData;
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
import dev.cdds.operator.exporter.progress.ProgressListener;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.schedule.ExportWindow;
import dev.cdds.operator.storage.DirectoryStore;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.storage.S3Store;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the exporter's tests run against: a real PostgreSQL loaded with {@link #ROWS} sample rows
 * and a real S3-compatible server, started once for the whole test run; and the helpers that run an
 * export into a directory or the bucket and read it back.
 */
final class ExportFixture implements BeforeAllCallback {
  /** The lock of the shared database, for JUnit's parallel classes. */
  static final String DATABASE = "cdds.exportFixture.database";

  static final ObjectMapper JSON = new ObjectMapper();
  static final long ROWS = 20_000;
  static final Instant SCHEDULED = Instant.parse("2026-07-01T00:00:00Z");
  static final String BUCKET = "exports";
  private static final int S3_PART_SIZE = 5 * 1024 * 1024;
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(ExportFixture.class);

  private Servers servers;
  private String lastJob;

  /** Where each run's files are (a directory, or s3://bucket/folder/), by run id. */
  private final Map<String, String> runFolders = new HashMap<>();

  enum Destination {
    DIRECTORY,
    S3
  }

  /** The database and the S3 server, stopped when JUnit closes its root store. */
  private record Servers(
      PostgresServer postgres, S3Server s3Server, S3Client s3, Path output, AtomicInteger runs)
      implements AutoCloseable {
    static Servers start() throws Exception {
      Path work = WorkDirectory.path();
      var postgres = PostgresServer.start(work, "postgres-export");
      var s3Server = S3Server.start(work, "s3-export");
      s3Server.createBucket(BUCKET);
      try (var db = postgres.connect()) {
        SampleData.load(db, ROWS, 7);
      }
      Path output = work.resolve("export-output");
      if (Files.exists(output)) {
        try (var paths = Files.walk(output)) {
          for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      Files.createDirectories(output);
      return new Servers(postgres, s3Server, s3Server.client(), output, new AtomicInteger());
    }

    @Override
    public void close() throws Exception {
      s3.close();
      s3Server.close();
      postgres.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    servers =
        context
            .getRoot()
            .getStore(STORE)
            .getOrComputeIfAbsent(
                Servers.class,
                key -> {
                  try {
                    return Servers.start();
                  } catch (Exception e) {
                    throw new IllegalStateException("PostgreSQL or the S3 server did not start", e);
                  }
                },
                Servers.class);
  }

  /** The job of the last run, for looking into its folder. */
  String lastJob() {
    return lastJob;
  }

  PostgresServer postgres() {
    return servers.postgres();
  }

  S3Server s3Server() {
    return servers.s3Server();
  }

  S3Client s3() {
    return servers.s3();
  }

  Path output() {
    return servers.output();
  }

  List<Long> exportedIds(Manifest manifest, OutputFormat format) throws IOException {
    List<Long> ids = new ArrayList<>();
    if (format == OutputFormat.JSONL) {
      for (String line : lines(manifest)) {
        ids.add(JSON.readTree(line).get("id").asLong());
      }
    } else {
      for (String file : rawFiles(manifest)) {
        List<List<String>> rows = Csv.parse(file);
        rows.subList(1, rows.size()).forEach(row -> ids.add(Long.parseLong(row.get(0))));
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
    return ids;
  }

  /** A progress listener that does {@code action} once, when half the records are done. */
  static ProgressListener atHalfway(Action action) {
    var done = new AtomicBoolean();
    return (records, total, bytes, files) -> {
      if (records >= total / 2 && records < total && !done.getAndSet(true)) {
        try {
          action.run();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  RunSummary run(ExportJobSpec spec, ProgressListener progress) {
    return run(spec, SCHEDULED, progress);
  }

  RunSummary run(ExportJobSpec spec, Instant scheduledAt) {
    return run(spec, scheduledAt, (done, total, bytes, files) -> {});
  }

  RunSummary run(ExportJobSpec spec, Instant scheduledAt, ProgressListener progress) {
    return run(spec, scheduledAt, progress, Destination.DIRECTORY);
  }

  RunSummary run(
      ExportJobSpec spec, Instant scheduledAt, ProgressListener progress, Destination kind) {
    return run(spec, scheduledAt, progress, kind, postgres().url());
  }

  RunSummary run(
      ExportJobSpec spec,
      Instant scheduledAt,
      ProgressListener progress,
      Destination kind,
      String databaseUrl) {
    // Job names are unique over the whole test run: the output and the bucket are shared.
    String job = "job" + servers.runs().incrementAndGet();
    lastJob = job;
    var target = new RunTarget("ns", job, job + "-" + scheduledAt.getEpochSecond() / 60);
    RunStore store = store(kind, target);
    return new ExportRun(
            spec, target, scheduledAt, window(spec, scheduledAt), progress, Clock.systemUTC())
        .execute(store, source(databaseUrl));
  }

  /** The job's first run at {@link #SCHEDULED}, its progress unheard. */
  static ExportRun firstRun(ExportJobSpec spec, RunTarget target) {
    return new ExportRun(
        spec, target, SCHEDULED, window(spec, SCHEDULED), (d, t, b, f) -> {}, Clock.systemUTC());
  }

  /** The window of a job's first run: no run exported anything before it. */
  static ExportWindow window(ExportJobSpec spec, Instant scheduledAt) {
    return ExportWindow.of(spec.timeframe, spec.schedule, scheduledAt, Optional.empty());
  }

  static SourceDatabase source(String url) {
    return new SourceDatabase(
        url, PostgresServer.USER, PostgresServer.PASSWORD, SourceNames.DOCUMENTED);
  }

  /** S3 with the smallest part size S3 allows, so that a test-sized file takes several parts. */
  RunStore store(Destination kind, RunTarget target) {
    return kind == Destination.DIRECTORY
        ? new DirectoryStore(output(), target)
        : new S3Store(s3(), BUCKET, target.folder(), S3_PART_SIZE);
  }

  static ExportJobSpec spec(
      SourceType type,
      OutputFormat format,
      Compression compression,
      String split,
      Timeframe timeframe) {
    var spec = new ExportJobSpec();
    spec.title = "test";
    spec.source = new Source();
    spec.source.system = type == SourceType.Event ? "IWD" : "ContactHistory";
    spec.source.type = type;
    spec.schedule = new Schedule();
    spec.schedule.run = RunMode.Once;
    spec.timeframe = timeframe;
    spec.output = new Output();
    spec.output.format = format;
    spec.output.compression = compression;
    spec.output.fileSplitSize = split == null ? null : new Quantity(split);
    return spec;
  }

  static Timeframe all() {
    var timeframe = new Timeframe();
    timeframe.type = TimeframeType.All;
    return timeframe;
  }

  /** The manifest the summary points to, read from the directory or the bucket. */
  Manifest manifest(RunSummary summary) throws IOException {
    assertThat(summary.error()).isNull();
    String location = summary.manifest();
    String folder = location.substring(0, location.length() - Manifest.FILE.length());
    Manifest manifest = Manifest.parse(read(folder + Manifest.FILE));
    runFolders.put(manifest.runId(), folder);
    return manifest;
  }

  /** A file's bytes as stored, from a path or an s3://bucket/key URL. */
  byte[] read(String location) throws IOException {
    if (!location.startsWith("s3://")) {
      return Files.readAllBytes(Path.of(location));
    }
    String path = location.substring("s3://".length());
    int slash = path.indexOf('/');
    return s3Server().read(path.substring(0, slash), path.substring(slash + 1));
  }

  byte[] stored(Manifest manifest, PartFile file) throws IOException {
    return read(runFolders.get(manifest.runId()) + file.name());
  }

  List<String> rawFiles(Manifest manifest) throws IOException {
    List<String> contents = new ArrayList<>();
    for (PartFile file : manifest.files()) {
      contents.add(uncompressed(file.name(), stored(manifest, file)));
    }
    return contents;
  }

  /** The text of a part, decompressed as its name says (.gz, .zst or neither). */
  static String uncompressed(String name, byte[] stored) throws IOException {
    InputStream in = new ByteArrayInputStream(stored);
    try (InputStream content =
        name.endsWith(".gz")
            ? new GZIPInputStream(in)
            : name.endsWith(".zst") ? new ZstdInputStream(in) : in) {
      return new String(content.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  List<String> lines(Manifest manifest) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String content : rawFiles(manifest)) {
      content.lines().filter(l -> !l.isEmpty()).forEach(lines::add);
    }
    return lines;
  }

  /** PostgreSQL's own JSON of each row: the reference the export is compared with. */
  Map<Long, JsonNode> rowsAsJson(String table, String where) throws Exception {
    try (var db = postgres().connect()) {
      return SourceRows.asJson(db, table, where);
    }
  }

  static JsonNode normalized(JsonNode record) {
    return SourceRows.normalized(record);
  }
}
