package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

@ValidationRule(
    value = "!has(self.compressionLevel) || !has(self.compression) || self.compression != 'none'",
    message = "compressionLevel is only used with compression gzip or zstd: remove it",
    fieldPath = ".compressionLevel",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "!has(self.compressionLevel) || (has(self.compression) && self.compression == 'zstd')"
            + " || self.compressionLevel <= 9",
    message = "compressionLevel for gzip is 1 (fastest) to 9 (smallest); zstd goes up to 19",
    fieldPath = ".compressionLevel")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Output {
  /** The schema's default of retentionDays, for objects read without it (older ones). */
  public static final int DEFAULT_RETENTION_DAYS = 30;

  /**
   * A quantity of whole bytes the exporter can count in a long: the server takes 1048576001m or
   * 0.5, which are no size. (isInteger() would also refuse 1.5Gi, a whole number of bytes.)
   */
  private static final String WHOLE_BYTES =
      "isQuantity(string(self)) && quantity(string(self)).isLessThan(quantity('1Pi'))"
          + " && double(int(quantity(string(self)).asApproximateFloat()))"
          + " == quantity(string(self)).asApproximateFloat()";

  @ValidationRule(
      value = WHOLE_BYTES + " && !quantity(string(self)).isLessThan(quantity('1Mi'))",
      message =
          "fileSplitSize must be a size of at least 1Mi in whole bytes and under 1Pi, such as"
              + " 256Mi or 1Gi")
  @JsonPropertyDescription(
      "Largest size of one file as written to the destination (after compression), as a"
          + " Kubernetes quantity such as 256Mi or 1Gi, at least 1Mi. Omitted: one file per run.")
  public Quantity fileSplitSize;

  @Default("jsonl")
  @JsonPropertyDescription("Record format: jsonl (one JSON object a line) or csv (RFC 4180).")
  public OutputFormat format;

  @Default("gzip")
  @JsonPropertyDescription(
      "Compression of each file: gzip (.gz) or zstd (.zst: faster and smaller than gzip, read"
          + " by zstd -d), each into one standard file, beside the reading: gzip on as many"
          + " threads as the export pod has CPUs, zstd on one up to level 3 (it keeps up with the"
          + " database there) and on as many above; or none.")
  public Compression compression;

  @Min(1)
  @Max(19)
  @JsonPropertyDescription(
      "Compression level: gzip 1 (fastest) to 9 (smallest), zstd 1 to 19. Omitted: gzip 6,"
          + " zstd 3, each tool's own default.")
  public Integer compressionLevel;

  @Default("1")
  @Min(1)
  @Max(32)
  @JsonPropertyDescription(
      "Pods that read the run's window side by side, each a range of it, all in one database"
          + " snapshot (as pg_dump -j does): 1 reads it in one stream. Each pod writes its own"
          + " parts; one manifest lists them all, in window order. A failed pod is retried alone."
          + " Faster until the database's cores or disks are saturated; each pod holds one"
          + " connection (docs/exporter.md).")
  public Integer parallelism;

  /** How many pods read a run of {@code output} (which may be null). */
  public static int parallelism(Output output) {
    return output == null || output.parallelism == null ? 1 : output.parallelism;
  }

  @Default("Fail")
  @JsonPropertyDescription(
      "What to do with a record that cannot be exported as it is (text that is not valid UTF-8,"
          + " which a database in the SQL_ASCII encoding can hold, or a record larger than"
          + " maxRecordSize):"
          + " Fail stops the run with the record's id in the message and publishes nothing;"
          + " Skip leaves the record out, counts it in the run's history and lists its id in the"
          + " manifest.")
  public BadRecordAction onBadRecord;

  @Default("64Mi")
  @ValidationRule(
      value = WHOLE_BYTES + " && !quantity(string(self)).isLessThan(quantity('1Ki'))",
      message =
          "maxRecordSize must be a size of at least 1Ki in whole bytes and under 1Pi, such as 64Mi")
  @JsonPropertyDescription(
      "Largest record accepted, as encoded in the file before compression (an attachment"
          + " counts with its base64 content); a larger one is a bad record (see onBadRecord).")
  public Quantity maxRecordSize;

  @JsonPropertyDescription(
      "Encrypt every file to the recipient's certificate. Omitted: files are written as they"
          + " are; protect the destination itself.")
  public OutputEncryption encryption;

  @Default("" + DEFAULT_RETENTION_DAYS)
  @Min(0)
  @Max(3650)
  @JsonPropertyDescription(
      "Days a run's files and manifest are kept at the destination, counted from the run's"
          + " scheduled time; then the operator deletes them and marks the run expired in history."
          + " 1 to 3650; 0 keeps them forever.")
  public Integer retentionDays;

  @Default("false")
  @JsonPropertyDescription(
      "Delete every exported file of this job when the ExportJob is deleted; a run still in"
          + " progress is stopped first, so that nothing it would write is left behind. Default"
          + " false: deleting an ExportJob leaves its data at the destination until it expires.")
  public Boolean deleteDataWithJob;

  /** Days a run is kept at the destination, 0 for ever, of {@code output} (which may be null). */
  public static int retentionDays(Output output) {
    return output == null || output.retentionDays == null
        ? DEFAULT_RETENTION_DAYS
        : output.retentionDays;
  }

  @JsonPropertyDescription(
      "Where the files go. Omitted: the default destination set when the operator was"
          + " installed.")
  public Destination destination;
}
