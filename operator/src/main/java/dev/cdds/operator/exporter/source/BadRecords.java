package dev.cdds.operator.exporter.source;

import dev.cdds.operator.api.BadRecordAction;
import dev.cdds.operator.storage.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records a run cannot export as they are: each is either the end of the run ({@link
 * BadRecordAction#Fail}) or left out, counted, and listed by id up to {@link #LISTED} of them.
 */
public final class BadRecords {
  public static final int LISTED = 100;

  private final BadRecordAction action;
  private final long maxRecordSize;
  private final boolean checkUtf8;
  private final List<Manifest.SkippedRecord> listed = new ArrayList<>();
  private long skipped;

  /**
   * {@code checkUtf8}: whether records may hold bytes that are not UTF-8, as from a SQL_ASCII
   * database read unconverted; otherwise PostgreSQL has checked them already.
   */
  public BadRecords(BadRecordAction action, long maxRecordSize, boolean checkUtf8) {
    this.action = action;
    this.maxRecordSize = maxRecordSize;
    this.checkUtf8 = checkUtf8;
  }

  /** Whether an encoded record may be written: not larger than allowed, and valid UTF-8. */
  public boolean accept(String recordType, byte[] record, int length) throws BadRecordException {
    if (length > maxRecordSize) {
      reject(
          recordType,
          leadingId(record, length),
          "record of " + length + " bytes is larger than spec.output.maxRecordSize");
      return false;
    }
    int invalid = checkUtf8 ? Utf8.firstInvalid(record, length) : -1;
    if (invalid >= 0) {
      reject(
          recordType,
          leadingId(record, length),
          String.format(
              "text is not valid UTF-8 (byte 0x%02x at offset %d)", record[invalid], invalid));
      return false;
    }
    return true;
  }

  /** Fails the run or counts the record as skipped, as the job says. */
  public void reject(String recordType, long id, String reason) throws BadRecordException {
    if (action != BadRecordAction.Skip) {
      throw new BadRecordException(
          "bad record: "
              + recordType
              + " "
              + id
              + ": "
              + reason
              + "; fix the row, or set spec.output.onBadRecord to Skip to leave such records out");
    }
    skipped++;
    if (listed.size() < LISTED) {
      listed.add(new Manifest.SkippedRecord(recordType, id, reason));
    }
  }

  /** The largest record accepted, encoded, in bytes. */
  public long maxRecordSize() {
    return maxRecordSize;
  }

  public long skipped() {
    return skipped;
  }

  public List<Manifest.SkippedRecord> listed() {
    return List.copyOf(listed);
  }

  /**
   * The id every record starts with: the first column of each table, a number in both formats
   * ({@code {"id":42,...}} and {@code 42,...}); -1 if there is none.
   */
  static long leadingId(byte[] record, int length) {
    int i = 0;
    while (i < length && !Character.isDigit(record[i])) {
      if (record[i] == ',') {
        return -1;
      }
      i++;
    }
    long id = 0;
    int digits = 0;
    for (; i < length && Character.isDigit(record[i]) && digits < 18; i++, digits++) {
      id = id * 10 + (record[i] - '0');
    }
    return digits == 0 ? -1 : id;
  }

  /** A bad record under {@link BadRecordAction#Fail}: the run stops, nothing is published. */
  public static final class BadRecordException extends IOException {
    BadRecordException(String message) {
      super(message);
    }
  }
}
