package dev.cdds.operator.exporter.files;

import com.github.luben.zstd.ZstdOutputStream;
import dev.cdds.operator.api.Compression;
import dev.cdds.operator.api.Output;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;

/**
 * How part files are compressed, each into one standard file its usual tool reads: gzip ({@code
 * gzip -d}), a zstd frame ({@code zstd -d}), or not at all.
 *
 * @param level the compression level, within what {@code kind} takes
 * @param threads compression threads: gzip is compressed in blocks by a pool of that many ({@link
 *     ParallelGzipOutputStream}, by {@link GzipMembers#BEST}), zstd above level {@value
 *     #ZSTD_ONE_THREAD_LEVEL} by as many workers of its own; each file stays one standard file
 */
public record PartCompression(Compression kind, int level, int threads) {
  static final int GZIP_LEVEL = 6;
  static final int ZSTD_LEVEL = 3;

  /**
   * Up to this level zstd outruns a database's stream on one thread (several hundred MB/s); its
   * workers would only add their hand-overs and take CPU from the reading (measured:
   * docs/benchmarks.md, 2026-11-27).
   */
  static final int ZSTD_ONE_THREAD_LEVEL = 3;

  /** Trailer, flush markers and the growth of incompressible input, beyond an exact flush. */
  private static final int MARGIN = 64;

  public static final PartCompression NONE = new PartCompression(Compression.NONE, 0, 1);

  /** What {@code output} asks for, on as many threads as this process has processors. */
  public static PartCompression of(Output output) {
    Compression kind = output.compression == null ? Compression.GZIP : output.compression;
    int level =
        output.compressionLevel != null
            ? output.compressionLevel
            : kind == Compression.ZSTD ? ZSTD_LEVEL : GZIP_LEVEL;
    return new PartCompression(kind, level, Runtime.getRuntime().availableProcessors());
  }

  /** The manifest's word for it. */
  public String describe() {
    return switch (kind) {
      case GZIP -> "gzip";
      case ZSTD -> "zstd";
      case NONE -> "none";
    };
  }

  String suffix() {
    return switch (kind) {
      case GZIP -> ".gz";
      case ZSTD -> ".zst";
      case NONE -> "";
    };
  }

  int margin() {
    return kind == Compression.NONE ? 0 : MARGIN;
  }

  /** Whether it is compressed by a pool of {@link #threads} (see {@link #open}). */
  boolean pooled() {
    return kind == Compression.GZIP;
  }

  /**
   * A stream that compresses into {@code plain}; its flush writes out all it was given. {@code
   * deflaters}: the pool of {@link #threads} threads when {@link #pooled}, else unused.
   */
  OutputStream open(OutputStream plain, ExecutorService deflaters) throws IOException {
    return switch (kind) {
      case GZIP -> new ParallelGzipOutputStream(plain, level, GzipMembers.BEST, deflaters, threads);
      case ZSTD -> {
        var zstd = new ZstdOutputStream(plain, level);
        if (threads > 1 && level > ZSTD_ONE_THREAD_LEVEL) {
          zstd.setWorkers(threads);
        }
        yield zstd;
      }
      case NONE -> plain;
    };
  }
}
