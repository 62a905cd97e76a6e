package dev.cdds.operator.exporter.files;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** gzip at a chosen level, flushing with a sync block so that a flush is exact. */
final class LeveledGzip extends GZIPOutputStream {
  LeveledGzip(OutputStream out, int level) throws IOException {
    super(out, 1 << 16, true);
    def.setLevel(level);
  }
}
