package dev.cdds.operator.exporter.files;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.Arrays;

/**
 * The three calls of libdeflate's C API that gzip a block, by JNA's direct mapping. {@code size_t}
 * is a Java {@code long}: {@link #load} refuses a platform where it is not 64 bits wide.
 */
final class Libdeflate {
  private Libdeflate() {}

  /**
   * Binds the native calls of this class to libdeflate.so.0; called once, by {@link GzipMembers}.
   *
   * @throws LinkageError when the library or JNA's own native part cannot be loaded
   */
  static void load() {
    if (Native.SIZE_T_SIZE != Long.BYTES) {
      throw new UnsatisfiedLinkError("size_t is not 64 bits wide here");
    }
    Native.register(Libdeflate.class, NativeLibrary.getInstance("libdeflate.so.0"));
  }

  /** One gzip member of {@code data[0, size)}, at {@code level} (libdeflate's 1 to 12). */
  static byte[] gzip(byte[] data, int size, int level) throws IOException {
    Pointer compressor = libdeflate_alloc_compressor(level);
    if (compressor == null) {
      throw new IOException("libdeflate has no compressor for level " + level);
    }
    try {
      byte[] out = new byte[Math.toIntExact(libdeflate_gzip_compress_bound(compressor, size))];
      long written = libdeflate_gzip_compress(compressor, data, size, out, out.length);
      if (written == 0) {
        throw new IOException("libdeflate: the gzip member did not fit its bound");
      }
      return Arrays.copyOf(out, (int) written);
    } finally {
      libdeflate_free_compressor(compressor);
    }
  }

  private static native Pointer libdeflate_alloc_compressor(int level);

  private static native long libdeflate_gzip_compress_bound(Pointer compressor, long inBytes);

  private static native long libdeflate_gzip_compress(
      Pointer compressor, byte[] in, long inBytes, byte[] out, long outBytes);

  private static native void libdeflate_free_compressor(Pointer compressor);
}
