package dev.cdds.operator.exporter;

import dev.cdds.operator.api.Output;
import dev.cdds.operator.api.OutputFormat;
import dev.cdds.operator.exporter.files.FileEnvelope;
import dev.cdds.operator.exporter.files.PartCompression;
import dev.cdds.operator.exporter.files.PartFiles;
import dev.cdds.operator.exporter.source.BadRecords;
import dev.cdds.operator.exporter.source.RecordReader;
import dev.cdds.operator.exporter.source.RecordSink;
import dev.cdds.operator.exporter.source.Selection;
import dev.cdds.operator.runcontract.SourceTable;
import dev.cdds.operator.storage.Manifest;
import dev.cdds.operator.storage.PartFile;
import dev.cdds.operator.storage.RunStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes the file sets of one run in the output's format: each set's records are read, checked
 * against the bad-record rules, written into split, compressed and enveloped parts, and counted.
 */
final class FileSetWriter {
  private final RunStore store;
  private final Output output;
  private final FileEnvelope envelope;
  private final BadRecords bad;
  private final RunProgress progress;
  private final boolean sqlAscii;

  FileSetWriter(
      RunStore store,
      Output output,
      FileEnvelope envelope,
      BadRecords bad,
      RunProgress progress,
      boolean sqlAscii) {
    this.store = store;
    this.output = output;
    this.envelope = envelope;
    this.bad = bad;
    this.progress = progress;
    this.sqlAscii = sqlAscii;
  }

  static boolean csv(Output output) {
    return output.format == OutputFormat.CSV;
  }

  /**
   * One set of part files, {@code <baseName>-00000.<ext>[.gz|.zst]}…, with the selected records.
   */
  Manifest.FileSet write(Connection db, String baseName, Selection selection)
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
            store,
            baseName,
            csv ? "csv" : "jsonl",
            PartCompression.of(output),
            envelope,
            split,
            header)) {
      var sink = new CheckedSink(table.recordType(), parts);
      RecordReader.read(db, selection, csv, sqlAscii, bad, sink);
      List<PartFile> files = parts.finish();
      progress.filesDone(files);
      return new Manifest.FileSet(
          table.recordType(),
          "https://cdds.dev/schemas/" + table.recordType() + ".schema.json",
          sink.records,
          files.stream().mapToLong(PartFile::bytes).sum(),
          files);
    }
  }

  /** Checks each record, hands it to the parts, and counts it. */
  private final class CheckedSink implements RecordSink {
    private final String recordType;
    private final PartFiles parts;
    private long records;

    CheckedSink(String recordType, PartFiles parts) {
      this.recordType = recordType;
      this.parts = parts;
    }

    @Override
    public void record(byte[] bytes, int length) throws IOException {
      if (!bad.accept(recordType, bytes, length)) {
        progress.skipped();
        return;
      }
      parts.write(bytes, length);
      records++;
      progress.written(parts);
    }

    @Override
    public void skipped() {
      progress.skipped();
    }
  }
}
