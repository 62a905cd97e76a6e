package dev.cdds.operator.exporter;

import dev.cdds.operator.api.BadRecordAction;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.exporter.files.FileEnvelope;
import dev.cdds.operator.exporter.files.PartFiles;
import dev.cdds.operator.exporter.progress.ProgressListener;
import dev.cdds.operator.exporter.source.BadRecords;
import dev.cdds.operator.exporter.source.CsvCopy;
import dev.cdds.operator.exporter.source.JsonLines;
import dev.cdds.operator.exporter.source.RecordCount;
import dev.cdds.operator.exporter.source.Selection;
import dev.cdds.operator.exporter.source.SourceDatabase;
import dev.cdds.operator.runcontract.RunSummary;
import dev.cdds.operator.runcontract.SourceNames;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.schedule.ExportWindow;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import dev.cdds.operator.storage.RunTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.PGConnection;
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
  private static final int FETCH_SIZE = 1000;
  private static final long DEFAULT_MAX_RECORD_SIZE = 64L * 1024 * 1024;

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
      ProgressListener progress,
      Clock clock) {
    this(spec, target, scheduledAt, progress, clock, FileEnvelope.NONE);
  }

  /** A run that writes each file enveloped, encrypted for instance ({@link CmsEnvelope}). */
  public ExportRun(
      ExportJobSpec spec,
      RunTarget target,
      Instant scheduledAt,
      ProgressListener progress,
      Clock clock,
      FileEnvelope envelope) {
    this.envelope = envelope;
    this.spec = spec;
    this.target = target;
    this.scheduledAt = scheduledAt;
    this.window = ExportWindow.of(spec.timeframe, spec.schedule, scheduledAt);
    this.progress = progress;
    this.clock = clock;
  }

  /** Runs the export from {@code source} into {@code store}; never throws, says what happened. */
  public RunSummary execute(RunStore store, SourceDatabase source) {
    try {
      var earlier = store.completed();
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
    var progressed = new Progress(total);
    progress.report(0, total, 0, 0);
    var output = spec.output == null ? new Output() : spec.output;
    boolean checkUtf8 = sqlAscii && csv(output);
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
    var records = exportFiles(db, store, "part", selection, output, bad, progressed, sqlAscii);
    Manifest.FileSet attachmentFiles = null;
    if (attachments.isPresent()) {
      attachmentFiles =
          exportFiles(
              db, store, "attachments", attachments.get(), output, bad, progressed, sqlAscii);
    }
    return new Manifest(
        1,
        target.namespace(),
        target.exportJob(),
        target.runId(),
        scheduledAt.toString(),
        window.start().map(Instant::toString).orElse(null),
        window.end().map(Instant::toString).orElse(null),
        table.recordType(),
        records.recordSchema(),
        table.table(),
        table.filterValues(spec.source).orElse(null),
        csv(output) ? "csv" : "jsonl",
        gzip(output) ? "gzip" : "none",
        envelope.describe(),
        records.records(),
        records.bytes(),
        records.files(),
        attachmentFiles,
        bad.skipped(),
        bad.listed().isEmpty() ? null : bad.listed(),
        clock.instant().toString());
  }

  /** One set of part files, {@code <baseName>-00000.<ext>[.gz]}…, with the selected records. */
  private Manifest.FileSet exportFiles(
      Connection db,
      RunStore store,
      String baseName,
      Selection selection,
      Output output,
      BadRecords bad,
      Progress progressed,
      boolean sqlAscii)
      throws SQLException, IOException {
    SourceTable table = selection.table();
    boolean csv = csv(output);
    long split =
        output.fileSplitSize == null
            ? Long.MAX_VALUE
            : output.fileSplitSize.getNumericalAmount().longValueExact();
    byte[] header =
        csv
            ? (String.join(",", table.columns()) + "\r\n").getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    try (var parts =
        new PartFiles(
            store, baseName, csv ? "csv" : "jsonl", gzip(output), envelope, split, header)) {
      var sink = new RecordSink(table.recordType(), parts, bad, progressed);
      if (csv) {
        copyCsv(db, selection, sink);
      } else {
        selectJsonLines(db, selection, sink, bad, sqlAscii);
      }
      List<PartFile> files = parts.finish();
      progressed.filesDone(files);
      return new Manifest.FileSet(
          table.recordType(),
          "https://cdds.dev/schemas/" + table.recordType() + ".schema.json",
          sink.records,
          files.stream().mapToLong(PartFile::bytes).sum(),
          files);
    }
  }

  private static boolean csv(Output output) {
    return output.format == OutputFormat.CSV;
  }

  private static boolean gzip(Output output) {
    return output.compression != Compression.NONE;
  }

  /**
   * Rows through a server-side cursor, encoded here as JSON lines. From a SQL_ASCII database the
   * text columns come as bytes (see {@link JsonLines}), so that text that is not UTF-8 makes its
   * row a bad record instead of failing the whole cursor.
   */
  private static void selectJsonLines(
      Connection db, Selection selection, RecordSink out, BadRecords bad, boolean sqlAscii)
      throws SQLException, IOException {
    SourceTable table = selection.table();
    Map<String, String> types = columnTypes(db, selection);
    var format = new JsonLines(table.columns(), types, sqlAscii);
    try (Statement query = db.createStatement()) {
      // Attachments are large: a handful of rows a fetch keeps memory flat.
      query.setFetchSize(table == SourceTable.ATTACHMENTS ? 4 : FETCH_SIZE);
      try (ResultSet rs =
          query.executeQuery("SELECT " + format.selectList() + " " + selection.fromInOrder())) {
        var buffer = new RecordBuffer();
        while (rs.next()) {
          buffer.reset();
          try {
            format.write(rs, buffer);
          } catch (JsonLines.MalformedText e) {
            bad.reject(table.recordType(), rs.getLong(1), e.getMessage());
            out.progressed.skipped();
            continue;
          }
          out.record(buffer.array(), buffer.size());
        }
      }
    }
  }

  /**
   * Rows formatted by PostgreSQL itself, as psql's \copy does; see {@link CsvCopy}. From a
   * SQL_ASCII database the session reads bytes unconverted, and each record's UTF-8 is checked.
   */
  private static void copyCsv(Connection db, Selection selection, RecordSink out)
      throws SQLException, IOException {
    Map<String, String> types = columnTypes(db, selection);
    String copy = CsvCopy.statement(selection, types);
    try (var records =
        new CsvCopy.Records(out::record, CsvCopy.timestampColumns(selection.table(), types))) {
      db.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, records);
    }
  }

  /** Each column's type name, as PostgreSQL reports it ({@code int8}, {@code jsonb}, …). */
  private static Map<String, String> columnTypes(Connection db, Selection selection)
      throws SQLException {
    SourceTable table = selection.table();
    SourceNames names = selection.names();
    Map<String, String> types = new HashMap<>();
    try (var probe = db.createStatement();
        var rs =
            probe.executeQuery(
                "SELECT "
                    + String.join(", ", table.columns())
                    + " FROM "
                    + names.relation(table)
                    + " LIMIT 0")) {
      for (int i = 0; i < table.columns().size(); i++) {
        types.put(table.columns().get(i), rs.getMetaData().getColumnTypeName(i + 1));
      }
    }
    return types;
  }

  /** Checks each record, hands it to the parts, and counts it. */
  private static final class RecordSink {
    private final String recordType;
    private final PartFiles parts;
    private final BadRecords bad;
    private final Progress progressed;
    private long records;

    RecordSink(String recordType, PartFiles parts, BadRecords bad, Progress progressed) {
      this.recordType = recordType;
      this.parts = parts;
      this.bad = bad;
      this.progressed = progressed;
    }

    void record(byte[] bytes, int length) throws IOException {
      if (!bad.accept(recordType, bytes, length)) {
        progressed.skipped();
        return;
      }
      parts.write(bytes, length);
      records++;
      progressed.written(parts);
    }
  }

  /** Records done over the whole run (every file set), reported as they go. */
  private final class Progress {
    private final long total;
    private long done;
    private long bytesBefore;
    private int filesBefore;

    Progress(long total) {
      this.total = total;
    }

    /**
     * Reports one more record written. An estimated total may be passed before the end; the total
     * reported then stays ahead of the records done, so that only the final report says 100%.
     */
    void written(PartFiles parts) {
      done++;
      progress.report(
          done,
          Math.max(total, done + 1),
          bytesBefore + parts.bytes(),
          filesBefore + parts.completedFiles());
    }

    void skipped() {
      done++;
    }

    void filesDone(List<PartFile> files) {
      bytesBefore += files.stream().mapToLong(PartFile::bytes).sum();
      filesBefore += files.size();
    }
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

  /** A reusable record buffer whose bytes are read in place, not copied. */
  private static final class RecordBuffer extends ByteArrayOutputStream {
    RecordBuffer() {
      super(4096);
    }

    byte[] array() {
      return buf;
    }
  }
}
