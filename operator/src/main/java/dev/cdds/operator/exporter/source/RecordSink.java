package dev.cdds.operator.exporter.source;

import java.io.IOException;

/** Where a {@link RecordReader} hands the records it reads. */
@FunctionalInterface
public interface RecordSink {
  /** One record's bytes; the array is reused after the call returns. */
  void record(byte[] bytes, int length) throws IOException;

  /**
   * A record the reader could not encode and left out (a bad record under Skip), so that progress
   * still counts it. COPY never leaves one out: its records are checked after reading.
   */
  default void skipped() {}
}
