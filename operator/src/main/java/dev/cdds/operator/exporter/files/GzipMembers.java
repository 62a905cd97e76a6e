package dev.cdds.operator.exporter.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses one block of input into one gzip member (RFC 1952): by libdeflate when this system has
 * it (Debian's {@code libdeflate0}, in the image), in about two thirds of zlib's CPU and a few
 * percent smaller at the same level, else by the JDK's zlib. Either way, members one after the
 * other are one standard gzip file.
 */
interface GzipMembers {
  /** The best this process can load, chosen once. */
  GzipMembers BEST = Choice.best();

  byte[] compress(byte[] data, int size, int level) throws IOException;

  /** By libdeflate, through JNA: a compressor is made for each block, as it is cheap to make. */
  final class ByLibdeflate implements GzipMembers {
    @Override
    public byte[] compress(byte[] data, int size, int level) throws IOException {
      return Libdeflate.gzip(data, size, level);
    }

    @Override
    public String toString() {
      return "libdeflate";
    }
  }

  /** By the JDK's zlib. */
  final class ByZlib implements GzipMembers {
    @Override
    public byte[] compress(byte[] data, int size, int level) throws IOException {
      var member = new ByteArrayOutputStream(size / 3 + 64);
      try (var gzip =
          new GZIPOutputStream(member, 1 << 16) {
            {
              def.setLevel(level);
            }
          }) {
        gzip.write(data, 0, size);
      }
      return member.toByteArray();
    }

    @Override
    public String toString() {
      return "the JDK's zlib";
    }
  }

  /** Loads libdeflate once, and says which one compresses. */
  final class Choice {
    private static final Logger LOG = LoggerFactory.getLogger(GzipMembers.class);

    private Choice() {}

    private static GzipMembers best() {
      try {
        Libdeflate.load();
        LOG.info("gzip by libdeflate");
        return new ByLibdeflate();
      } catch (LinkageError e) {
        LOG.info("gzip by the JDK's zlib: libdeflate not loaded ({})", e.getMessage());
        return new ByZlib();
      }
    }
  }
}
