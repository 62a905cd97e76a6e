package dev.cdds.operator.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cdds.operator.runcontract.PrintableText;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last file of a run, listing every part with its size, record count and SHA-256: a run without
 * a manifest is not complete; a {@link RunStore} publishes it all at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int manifestVersion,
    String namespace,
    String exportJob,
    String runId,
    String scheduledAt,
    String windowStart,
    String windowEnd,
    String recordType,
    String recordSchema,
    String sourceTable,
    List<String> filter,
    String format,
    String compression,
    Encryption encryption,
    long records,
    long bytes,
    List<PartFile> files,
    FileSet attachments,
    long skippedRecords,
    List<SkippedRecord> skipped,
    String completedAt) {
  public static final String FILE = "manifest.json";
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The attachments of the exported interactions, in files of their own ({@code
   * attachments-00000.jsonl.gz}…), each record linked to its interaction by {@code interaction_id}.
   */
  public record FileSet(
      String recordType, String recordSchema, long records, long bytes, List<PartFile> files) {}

  /**
   * How the files are encrypted, when they are: each file is one enveloped-data message to the
   * certificate named here. The manifest itself holds no record and stays readable, so that the
   * files can be listed, checked and expired without the private key.
   */
  public record Encryption(
      String format,
      String contentEncryption,
      String recipient,
      String certificateSha256,
      String certificateNotAfter) {}

  /** A record left out under {@code onBadRecord: Skip}; the manifest lists the first 100. */
  public record SkippedRecord(String recordType, long id, String reason) {}

  /** Bytes of every file of the run, attachments included. */
  public long totalBytes() {
    return bytes + (attachments == null ? 0 : attachments.bytes());
  }

  /** Every file of the run but the manifest: the records' parts, then the attachments'. */
  public List<PartFile> allFiles() {
    List<PartFile> all = new ArrayList<>(files);
    if (attachments != null && attachments.files() != null) {
      all.addAll(attachments.files());
    }
    return all;
  }

  /** Number of files of the run but the manifest, attachments included. */
  public int fileCount() {
    return files.size() + (attachments == null ? 0 : attachments.files().size());
  }

  /** A manifest of the run {@code target}, each part said by name. */
  public static Builder of(RunTarget target, String scheduledAt) {
    return new Builder(target, scheduledAt);
  }

  /** Builds a {@link Manifest}; what is not said stays absent (or zero). */
  public static final class Builder {
    private final RunTarget target;
    private final String scheduledAt;
    private String windowStart;
    private String windowEnd;
    private String recordType;
    private String sourceTable;
    private List<String> filter;
    private String format;
    private String compression;
    private Encryption encryption;
    private FileSet records = new FileSet(null, null, 0, 0, List.of());
    private FileSet attachments;
    private long skippedRecords;
    private List<SkippedRecord> skipped;

    private Builder(RunTarget target, String scheduledAt) {
      this.target = target;
      this.scheduledAt = scheduledAt;
    }

    public Builder window(String start, String end) {
      this.windowStart = start;
      this.windowEnd = end;
      return this;
    }

    public Builder source(String recordType, String sourceTable, List<String> filter) {
      this.recordType = recordType;
      this.sourceTable = sourceTable;
      this.filter = filter;
      return this;
    }

    public Builder format(String format, String compression, Encryption encryption) {
      this.format = format;
      this.compression = compression;
      this.encryption = encryption;
      return this;
    }

    /** The run's records; the manifest takes their schema, counts and files. */
    public Builder records(FileSet records) {
      this.records = records;
      return this;
    }

    public Builder attachments(FileSet attachments) {
      this.attachments = attachments;
      return this;
    }

    /** Records left out under {@code onBadRecord: Skip}, and the first of them. */
    public Builder skipped(long count, List<SkippedRecord> listed) {
      this.skippedRecords = count;
      this.skipped = listed == null || listed.isEmpty() ? null : listed;
      return this;
    }

    public Manifest completedAt(String completedAt) {
      return new Manifest(
          1,
          target.namespace(),
          target.exportJob(),
          target.runId(),
          scheduledAt,
          windowStart,
          windowEnd,
          recordType,
          records.recordSchema(),
          sourceTable,
          filter,
          format,
          compression,
          encryption,
          records.records(),
          records.bytes(),
          records.files(),
          attachments,
          skippedRecords,
          skipped,
          completedAt);
    }
  }

  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  /** The largest manifest read: about 80,000 files. */
  static final int MAX_BYTES = 16 << 20;

  /**
   * Reads a manifest from storage, at most {@link #MAX_BYTES} of it, and {@link #parse}s it.
   *
   * @throws IOException when it is larger, or not a manifest this code can trust
   */
  public static Manifest read(InputStream in) throws IOException {
    byte[] json = in.readNBytes(MAX_BYTES + 1);
    if (json.length > MAX_BYTES) {
      throw new UntrustedManifestException(
          FILE + " is larger than " + (MAX_BYTES >> 20) + " MiB: the whole run is refused");
    }
    return parse(json);
  }

  /**
   * A manifest as storage holds it, which anyone who can write there may have written: every file
   * it names must be a plain file name of the run, or the whole run is refused.
   *
   * @throws IOException naming the first entry that is not
   */
  public static Manifest parse(byte[] json) throws IOException {
    Manifest manifest;
    try {
      manifest = JSON.readValue(json, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new UntrustedManifestException(
          FILE
              + " is not a manifest ("
              + PrintableText.line(e.getOriginalMessage())
              + "): the run is refused");
    }
    if (manifest == null || manifest.files() == null) {
      throw new UntrustedManifestException(FILE + " lists no files: the run is refused");
    }
    for (PartFile file : manifest.allFiles()) {
      if (file == null
          || file.name() == null
          || !PLAIN_NAME.matcher(file.name()).matches()
          || file.name().contains("..")) {
        throw new UntrustedManifestException(
            FILE
                + " names \""
                + shown(file == null ? null : file.name())
                + "\", not a plain file name of the run (letters, digits, '.', '_', '-'; no '..'):"
                + " the whole run is refused");
      }
    }
    return manifest;
  }

  private static String shown(String name) {
    if (name == null) {
      return "null";
    }
    String printable = PrintableText.line(name);
    return printable.length() <= 100 ? printable : printable.substring(0, 100) + "...";
  }
}
