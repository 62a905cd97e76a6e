package dev.cdds.operator.exporter;

import dev.cdds.operator.api.BadRecordAction;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.SharedSnapshot;
import dev.cdds.operator.exporter.files.FileEnvelope;
import dev.cdds.operator.exporter.files.PartCompression;
import dev.cdds.operator.exporter.progress.ProgressListener;
import dev.cdds.operator.exporter.source.BadRecords;
import dev.cdds.operator.exporter.source.PartitionBounds;
import dev.cdds.operator.exporter.source.RecordCount;
import dev.cdds.operator.exporter.source.Selection;
import dev.cdds.operator.exporter.source.SharedSnapshots;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.runcontract.PrintableText;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.schedule.ExportWindow;
import dev.cdds.operator.storage.CompletedRun;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import dev.cdds.operator.storage.UntrustedManifestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export, or one partition of a partitioned export: reads the rows of its window (or of its
 * partition's range of it) through a server-side COPY or cursor in one read-only REPEATABLE READ
 * transaction (a consistent snapshot, flat memory), writes the parts and, last, the manifest. The
 * total for progress is the planner's estimate until a second connection, in the same snapshot, has
 * counted. A run with a manifest is complete and never rewritten; anything else a previous attempt
 * left is removed before starting over.
 *
 * <p>Partitions of one run all read in the snapshot the first partition exported, which it holds
 * until every other partition has written its files and result; it then publishes the one manifest.
 * If the first partition's pod is gone, so is the snapshot: its next attempt fails the whole run
 * rather than mix snapshots.
 */
public final class ExportRun {
  private static final Logger LOG = LoggerFactory.getLogger(ExportRun.class);
  private static final long DEFAULT_MAX_RECORD_SIZE = 64L * 1024 * 1024;

  /** Time to connect and log in. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The longest the database may stay silent: longer than sorting a large window before its first
   * row.
   */
  static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(30);

  private final ExportJobSpec spec;
  private final RunTarget target;
  private final ExportWindow window;
  private final Instant scheduledAt;
  private final ProgressListener progress;
  private final Clock clock;
  private final FileEnvelope envelope;
  private final Partition partition;
  private final SnapshotExchange exchange;

  /** A run that writes its files as they are. */
  public ExportRun(
      ExportJobSpec spec,
      RunTarget target,
      Instant scheduledAt,
      ExportWindow window,
      ProgressListener progress,
      Clock clock) {
    this(spec, target, scheduledAt, window, progress, clock, FileEnvelope.NONE);
  }

  /** A run that writes each file enveloped, encrypted for instance ({@link CmsEnvelope}). */
  public ExportRun(
      ExportJobSpec spec,
      RunTarget target,
      Instant scheduledAt,
      ExportWindow window,
      ProgressListener progress,
      Clock clock,
      FileEnvelope envelope) {
    this(
        spec,
        target,
        scheduledAt,
        window,
        progress,
        clock,
        envelope,
        Partition.WHOLE,
        SnapshotExchange.NONE);
  }

  private ExportRun(
      ExportJobSpec spec,
      RunTarget target,
      Instant scheduledAt,
      ExportWindow window,
      ProgressListener progress,
      Clock clock,
      FileEnvelope envelope,
      Partition partition,
      SnapshotExchange exchange) {
    this.envelope = envelope;
    this.spec = spec;
    this.target = target;
    this.scheduledAt = scheduledAt;
    this.window = window;
    this.progress = progress;
    this.clock = clock;
    this.partition = partition;
    this.exchange = exchange;
  }

  /**
   * This run as {@code partition} of a partitioned run whose pods agree through {@code exchange}.
   */
  public ExportRun partition(Partition partition, SnapshotExchange exchange) {
    return new ExportRun(
        spec, target, scheduledAt, window, progress, clock, envelope, partition, exchange);
  }

  /** Runs the export from {@code source} into {@code store}; never throws, says what happened. */
  public RunSummary execute(RunStore store, SourceDatabase source) {
    try {
      var earlier = CompletedRun.of(store, target);
      if (earlier.isPresent()) {
        LOG.info(
            "run already complete run={} manifest={}",
            target.runId(),
            store.location(Manifest.FILE));
        return summary(earlier.get(), store.location(Manifest.FILE));
      }
      if (!partition.first()) {
        var done = earlierResult(store);
        if (done.isPresent()) {
          return summary(done.get(), store.location(partition.resultFile()));
        }
        PartitionResults.clear(store, partition);
      } else if (partition.partitioned() && exchange.shared().isPresent()) {
        return RunSummary.failedRun(
            "the snapshot this run's partitions share was lost with the pod of its partition 0"
                + " (the first attempt of that pod ended): the run fails as a whole, its window is"
                + " exported again by a rerun or the next run");
      } else {
        store.clear();
      }
    } catch (IOException | UncheckedIOException e) {
      return RunSummary.failed("destination " + store + ": " + e.getMessage());
    } catch (IllegalStateException e) {
      return RunSummary.failed(e.getMessage());
    }
    try (Connection db = connect(source, "")) {
      db.setAutoCommit(false);
      db.setReadOnly(true);
      db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      Snapshot snapshot = snapshot(db);
      // Timestamps come back as text in UTC, the form the export writes.
      db.createStatement().execute("SET TIME ZONE 'UTC'");
      SourceTable table = SourceTable.of(spec.source);
      var whole = Selection.of(table, source.names(), window, table.filterValues(spec.source));
      List<Instant> bounds = snapshot.bounds;
      if (partition.partitioned() && partition.first()) {
        bounds = PartitionBounds.of(db, whole, window, partition.count());
        var shared = new SharedSnapshot();
        shared.id = snapshot.id.orElseThrow();
        shared.bounds = bounds.stream().map(Instant::toString).toList();
        exchange.share(shared);
      }
      Manifest manifest = export(db, store, source, range(whole, bounds), snapshot.id);
      if (partition.partitioned()) {
        progress.report(
            recordsRead(manifest),
            recordsRead(manifest),
            manifest.totalBytes(),
            manifest.fileCount());
      }
      if (!partition.first()) {
        PartitionResults.write(store, partition, manifest);
        db.commit();
        LOG.info(
            "partition complete run={} partition={} records={} files={}",
            target.runId(),
            partition.index(),
            manifest.records(),
            manifest.fileCount());
        return summary(manifest, store.location(partition.resultFile()));
      }
      if (partition.partitioned()) {
        var others =
            PartitionResults.awaitOthers(store, target, partition.count(), progress::waiting);
        manifest = PartitionResults.merge(manifest, others, target, clock.instant().toString());
      }
      db.commit();
      store.publish(manifest);
      if (partition.partitioned()) {
        store.clear(Partition.RESULT_PREFIX);
      }
      progress.runDone(recordsRead(manifest), manifest.totalBytes(), manifest.fileCount());
      LOG.info(
          "run complete run={} records={} skipped={} bytes={} files={}",
          target.runId(),
          manifest.records(),
          manifest.skippedRecords(),
          manifest.totalBytes(),
          manifest.fileCount());
      return summary(manifest, store.location(Manifest.FILE));
    } catch (SQLException e) {
      return RunSummary.failed("source database: " + e.getMessage());
    } catch (BadRecords.BadRecordException e) {
      return RunSummary.failed(e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return RunSummary.failed("destination " + store + ": " + e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return RunSummary.failed(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RunSummary.failed("interrupted while waiting for the run's other partitions");
    }
  }

  /**
   * What an earlier attempt of this partition left as its result, if it can be trusted; one that
   * cannot is redone, as an untrusted manifest of a whole run is ({@link CompletedRun}).
   */
  private Optional<Manifest> earlierResult(RunStore store) throws IOException {
    try {
      return PartitionResults.read(store, target, partition);
    } catch (UntrustedManifestException e) {
      LOG.warn(
          "earlier result of partition {} redone reason=\"{}\"", partition.index(), e.getMessage());
      return Optional.empty();
    }
  }

  /** This partition's range of {@code whole}: between its bounds, open at the window's ends. */
  private Selection range(Selection whole, List<Instant> bounds) {
    if (!partition.partitioned()) {
      return whole;
    }
    int i = partition.index();
    return whole.range(
        i == 0 ? Optional.empty() : Optional.of(bounds.get(i - 1)),
        i == partition.count() - 1 ? Optional.empty() : Optional.of(bounds.get(i)));
  }

  /** The snapshot a transaction reads in, shareable, and the partitions' bounds if known. */
  private record Snapshot(Optional<String> id, List<Instant> bounds) {}

  /**
   * Starts {@code db}'s transaction in the run's snapshot: the one the first partition shared, or
   * its own, exported so that the count and the other partitions can read in it too.
   */
  private Snapshot snapshot(Connection db) throws SQLException, InterruptedException {
    if (!partition.first()) {
      SharedSnapshot shared = exchange.await();
      List<Instant> bounds = new ArrayList<>();
      for (String bound : shared.bounds == null ? List.<String>of() : shared.bounds) {
        try {
          bounds.add(Instant.parse(bound));
        } catch (DateTimeParseException e) {
          throw new IllegalStateException(
              "the shared snapshot's bounds hold \""
                  + PrintableText.line(bound)
                  + "\", not an RFC 3339 time");
        }
      }
      if (bounds.size() != partition.count() - 1) {
        throw new IllegalStateException(
            "the shared snapshot has "
                + bounds.size()
                + " bounds, not "
                + (partition.count() - 1)
                + " for "
                + partition.count()
                + " partitions");
      }
      SharedSnapshots.use(db, shared.id);
      return new Snapshot(Optional.of(shared.id), bounds);
    }
    try {
      return new Snapshot(Optional.of(SharedSnapshots.export(db)), List.of());
    } catch (SQLException e) {
      if (partition.partitioned()) {
        throw e;
      }
      // A database that cannot share its snapshot still exports; progress shows an estimate.
      LOG.info("snapshot not shareable, no exact count for progress: {}", e.getMessage());
      db.rollback();
      return new Snapshot(Optional.empty(), List.of());
    }
  }

  private Connection connect(SourceDatabase source, String purpose) throws SQLException {
    var properties = new Properties();
    properties.setProperty("user", source.user());
    properties.setProperty("password", source.password());
    properties.setProperty(
        "ApplicationName",
        "cdds-export "
            + target.runId()
            + (partition.partitioned() ? " p" + partition.index() : "")
            + purpose);
    // So that COPY can read a SQL_ASCII database's bytes unconverted (see copyCsv).
    properties.setProperty("allowEncodingChanges", "true");
    // A database that is gone without closing the connection (a dropped route, a frozen host)
    // must fail the attempt, not hang it: the Job then retries. The source Secret's url may set
    // other values (?socketTimeout=…), which take precedence.
    properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
    properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
    properties.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
    properties.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(source.url(), properties);
  }

  /**
   * Whether the database stores text unchecked (encoding SQL_ASCII): the one case where its text
   * may not be UTF-8. In any other encoding PostgreSQL itself guarantees valid text.
   */
  private static boolean sqlAscii(Connection db) throws SQLException {
    try (var rs = db.createStatement().executeQuery("SHOW server_encoding")) {
      rs.next();
      return "SQL_ASCII".equals(rs.getString(1));
    }
  }

  private Manifest export(
      Connection db,
      RunStore store,
      SourceDatabase source,
      Selection selection,
      Optional<String> snapshot)
      throws SQLException, IOException, InterruptedException {
    SourceTable table = selection.table();
    boolean sqlAscii = sqlAscii(db);
    Optional<Selection> attachments =
        table == SourceTable.INTERACTIONS && !Boolean.FALSE.equals(spec.source.includeAttachments)
            ? Optional.of(selection.attachments())
            : Optional.empty();
    List<Selection> all = Stream.concat(Stream.of(selection), attachments.stream()).toList();
    var output = spec.output == null ? new Output() : spec.output;
    boolean checkUtf8 = sqlAscii && FileSetWriter.csv(output);
    if (checkUtf8) {
      db.createStatement().execute("SET client_encoding TO 'SQL_ASCII'");
    }
    var bad =
        new BadRecords(
            output.onBadRecord == null ? BadRecordAction.Fail : output.onBadRecord,
            output.maxRecordSize == null
                ? DEFAULT_MAX_RECORD_SIZE
                : output.maxRecordSize.getNumericalAmount().longValueExact(),
            checkUtf8);
    var runProgress = new RunProgress(progress, RecordCount.estimate(db, all));
    Manifest.FileSet records;
    Manifest.FileSet attachmentFiles = null;
    // A partition's range is split off by rank, so the planner's estimate of it is close; N more
    // scans of the window, beside the N reading it, would cost the database more than they tell.
    try (var count =
        snapshot.isPresent() && !partition.partitioned()
            ? RecordCount.start(
                () -> connect(source, " count"), snapshot.get(), all, runProgress::counted)
            : null) {
      var writer = new FileSetWriter(store, output, envelope, bad, runProgress, sqlAscii);
      records = writer.write(db, partition.fileSet("part"), selection);
      if (attachments.isPresent()) {
        attachmentFiles = writer.write(db, partition.fileSet("attachments"), attachments.get());
      }
    }
    return Manifest.of(target, scheduledAt.toString())
        .window(
            window.start().map(Instant::toString).orElse(null),
            window.end().map(Instant::toString).orElse(null))
        .source(table.recordType(), table.table(), table.filterValues(spec.source).orElse(null))
        .format(
            FileSetWriter.csv(output) ? "csv" : "jsonl",
            PartCompression.of(output).describe(),
            envelope.describe())
        .records(records)
        .attachments(attachmentFiles)
        .skipped(bad.skipped(), bad.listed())
        .completedAt(clock.instant().toString());
  }

  /** Every record read: exported, attachments included, or skipped. */
  private static long recordsRead(Manifest manifest) {
    return manifest.records()
        + manifest.skippedRecords()
        + (manifest.attachments() == null ? 0 : manifest.attachments().records());
  }

  private RunSummary summary(Manifest manifest, String location) {
    return RunSummary.succeeded(
        manifest.records(),
        manifest.totalBytes(),
        manifest.fileCount(),
        location,
        manifest.windowStart(),
        manifest.windowEnd(),
        manifest.skippedRecords());
  }
}
