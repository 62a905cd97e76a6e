package dev.cdds.operator.exporter;

import dev.cdds.operator.api.BadRecordAction;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.exporter.files.FileEnvelope;
import dev.cdds.operator.exporter.files.PartCompression;
import dev.cdds.operator.exporter.progress.ProgressListener;
import dev.cdds.operator.exporter.source.BadRecords;
import dev.cdds.operator.exporter.source.RecordCount;
import dev.cdds.operator.exporter.source.Selection;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.schedule.ExportWindow;
import dev.cdds.operator.storage.CompletedRun;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export: counts the rows of the window, streams them through a server-side cursor in one
 * read-only REPEATABLE READ transaction (a consistent snapshot, flat memory), writes the parts and,
 * last, the manifest. A run with a manifest is complete and never rewritten; anything else a
 * previous attempt left in the run's directory is removed before starting over.
 */
public final class ExportRun {
  private static final Logger LOG = LoggerFactory.getLogger(ExportRun.class);
  private static final long DEFAULT_MAX_RECORD_SIZE = 64L * 1024 * 1024;

  /** Time to connect and log in. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The longest the database may stay silent: longer than the count's budget and than sorting a
   * large window before its first row.
   */
  static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(30);

  private final ExportJobSpec spec;
  private final RunTarget target;
  private final ExportWindow window;
  private final Instant scheduledAt;
  private final ProgressListener progress;
  private final Clock clock;
  private final FileEnvelope envelope;

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
    this.envelope = envelope;
    this.spec = spec;
    this.target = target;
    this.scheduledAt = scheduledAt;
    this.window = window;
    this.progress = progress;
    this.clock = clock;
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
        return summary(earlier.get(), store);
      }
      store.clear();
    } catch (IOException e) {
      return RunSummary.failed("destination " + store + ": " + e.getMessage());
    }
    var properties = new Properties();
    properties.setProperty("user", source.user());
    properties.setProperty("password", source.password());
    properties.setProperty("ApplicationName", "cdds-export " + target.runId());
    // So that COPY can read a SQL_ASCII database's bytes unconverted (see copyCsv).
    properties.setProperty("allowEncodingChanges", "true");
    // A database that is gone without closing the connection (a dropped route, a frozen host)
    // must fail the attempt, not hang it: the Job then retries. The source Secret's url may set
    // other values (?socketTimeout=…), which take precedence.
    properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
    properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
    properties.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
    properties.setProperty("tcpKeepAlive", "true");
    try (Connection db = DriverManager.getConnection(source.url(), properties)) {
      db.setAutoCommit(false);
      db.setReadOnly(true);
      db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      // Timestamps come back as text in UTC, the form the export writes.
      db.createStatement().execute("SET TIME ZONE 'UTC'");
      Manifest manifest = export(db, store, source.names(), sqlAscii(db));
      db.commit();
      store.publish(manifest);
      long done =
          manifest.records()
              + manifest.skippedRecords()
              + (manifest.attachments() == null ? 0 : manifest.attachments().records());
      progress.report(done, done, manifest.totalBytes(), manifest.fileCount());
      LOG.info(
          "run complete run={} records={} skipped={} bytes={} files={}",
          target.runId(),
          manifest.records(),
          manifest.skippedRecords(),
          manifest.totalBytes(),
          manifest.fileCount());
      return summary(manifest, store);
    } catch (SQLException e) {
      return RunSummary.failed("source database: " + e.getMessage());
    } catch (BadRecords.BadRecordException e) {
      return RunSummary.failed(e.getMessage());
    } catch (IOException e) {
      return RunSummary.failed("destination " + store + ": " + e.getMessage());
    }
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

  private Manifest export(Connection db, RunStore store, SourceNames names, boolean sqlAscii)
      throws SQLException, IOException {
    SourceTable table = SourceTable.of(spec.source);
    var selection = Selection.of(table, names, window, table.filterValues(spec.source));
    Optional<Selection> attachments =
        table == SourceTable.INTERACTIONS && !Boolean.FALSE.equals(spec.source.includeAttachments)
            ? Optional.of(selection.attachments())
            : Optional.empty();
    long total = RecordCount.of(db, selection).value();
    if (attachments.isPresent()) {
      total += RecordCount.of(db, attachments.get()).value();
    }
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
    var writer =
        new FileSetWriter(store, output, envelope, bad, new RunProgress(progress, total), sqlAscii);
    var records = writer.write(db, "part", selection);
    Manifest.FileSet attachmentFiles =
        attachments.isPresent() ? writer.write(db, "attachments", attachments.get()) : null;
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

  private RunSummary summary(Manifest manifest, RunStore store) {
    return RunSummary.succeeded(
        manifest.records(),
        manifest.totalBytes(),
        manifest.fileCount(),
        store.location(Manifest.FILE),
        manifest.windowStart(),
        manifest.windowEnd(),
        manifest.skippedRecords());
  }
}
