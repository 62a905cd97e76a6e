package dev.cdds.operator.exporter;

import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.ExportJobSpec;
import dev.cdds.operator.api.OutputFormat;
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

  private final ExportJobSpec spec;
  private final RunTarget target;
  private final ExportWindow window;
  private final Instant scheduledAt;
  private final ProgressListener progress;
  private final Clock clock;

  public ExportRun(
      ExportJobSpec spec,
      RunTarget target,
      Instant scheduledAt,
      ProgressListener progress,
      Clock clock) {
    this.spec = spec;
    this.target = target;
    this.scheduledAt = scheduledAt;
    this.window = ExportWindow.of(spec.timeframe, spec.schedule, scheduledAt);
    this.progress = progress;
    this.clock = clock;
  }

  /**
   * Runs the export from the database at {@code url} into {@code store}; never throws, says what
   * happened.
   */
  public RunSummary execute(RunStore store, String url, String user, String password) {
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
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("ApplicationName", "cdds-export " + target.runId());
    try (Connection db = DriverManager.getConnection(url, properties)) {
      db.setAutoCommit(false);
      db.setReadOnly(true);
      db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      // Timestamps come back as text in UTC, the form the export writes.
      db.createStatement().execute("SET TIME ZONE 'UTC'");
      Manifest manifest = export(db, store);
      db.commit();
      store.publish(manifest);
      progress.report(
          manifest.records(), manifest.records(), manifest.bytes(), manifest.files().size());
      LOG.info(
          "run complete run={} records={} bytes={} files={}",
          target.runId(),
          manifest.records(),
          manifest.bytes(),
          manifest.files().size());
      return summary(manifest, store);
    } catch (SQLException e) {
      return RunSummary.failed("source database: " + e.getMessage());
    } catch (IOException e) {
      return RunSummary.failed("destination " + store + ": " + e.getMessage());
    }
  }

  private Manifest export(Connection db, RunStore store) throws SQLException, IOException {
    SourceTable table = SourceTable.of(spec.source);
    var selection = new Selection(table, window, table.filterValues(spec.source));
    long total;
    try (Statement count = db.createStatement();
        ResultSet rs = count.executeQuery("SELECT count(*) " + selection.from())) {
      rs.next();
      total = rs.getLong(1);
    }
    progress.report(0, total, 0, 0);
    var output = spec.output;
    boolean csv = output != null && output.format == OutputFormat.CSV;
    boolean gzip = output == null || output.compression != Compression.NONE;
    long split =
        output == null || output.fileSplitSize == null
            ? Long.MAX_VALUE
            : output.fileSplitSize.getNumericalAmount().longValueExact();
    byte[] header =
        csv
            ? (String.join(",", table.columns()) + "\r\n").getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    long records;
    List<PartFile> files;
    try (var parts = new PartFiles(store, csv ? "csv" : "jsonl", gzip, split, header)) {
      var counted = new CountedRecords(total, parts);
      if (csv) {
        copyCsv(db, selection, counted);
      } else {
        selectJsonLines(db, selection, counted);
      }
      files = parts.finish();
      records = counted.records;
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
        "https://cdds.dev/schemas/" + table.recordType() + ".schema.json",
        table.table(),
        table.filterValues(spec.source).orElse(null),
        csv ? "csv" : "jsonl",
        gzip ? "gzip" : "none",
        records,
        files.stream().mapToLong(PartFile::bytes).sum(),
        files,
        clock.instant().toString());
  }

  /** Rows through a server-side cursor, encoded here as JSON lines. */
  private static void selectJsonLines(Connection db, Selection selection, CountedRecords out)
      throws SQLException, IOException {
    List<String> columns = selection.table().columns();
    try (Statement query = db.createStatement()) {
      query.setFetchSize(FETCH_SIZE);
      try (ResultSet rs =
          query.executeQuery(
              "SELECT " + String.join(", ", columns) + " " + selection.fromInOrder())) {
        var format = new JsonLines(columns, rs.getMetaData());
        var buffer = new RecordBuffer();
        while (rs.next()) {
          buffer.reset();
          format.write(rs, buffer);
          out.record(buffer.array(), buffer.size());
        }
      }
    }
  }

  /** Rows formatted by PostgreSQL itself, as psql's \copy does; see {@link CsvCopy}. */
  private static void copyCsv(Connection db, Selection selection, CountedRecords out)
      throws SQLException, IOException {
    SourceTable table = selection.table();
    Map<String, String> types = new HashMap<>();
    try (var probe = db.createStatement();
        var rs =
            probe.executeQuery(
                "SELECT "
                    + String.join(", ", table.columns())
                    + " FROM "
                    + table.table()
                    + " LIMIT 0")) {
      for (int i = 0; i < table.columns().size(); i++) {
        types.put(table.columns().get(i), rs.getMetaData().getColumnTypeName(i + 1));
      }
    }
    String copy = CsvCopy.statement(selection, types);
    try (var records = new CsvCopy.Records(out::record)) {
      db.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, records);
    }
  }

  /** Counts records as they go to the parts, and reports progress. */
  private final class CountedRecords {
    private final long total;
    private final PartFiles parts;
    private long records;

    CountedRecords(long total, PartFiles parts) {
      this.total = total;
      this.parts = parts;
    }

    void record(byte[] bytes, int length) throws IOException {
      parts.write(bytes, length);
      records++;
      progress.report(records, total, parts.bytes(), parts.completedFiles());
    }
  }

  private RunSummary summary(Manifest manifest, RunStore store) {
    return RunSummary.succeeded(
        manifest.records(),
        manifest.bytes(),
        manifest.files().size(),
        store.location(Manifest.FILE),
        manifest.windowStart(),
        manifest.windowEnd());
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
