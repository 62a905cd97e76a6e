package dev.cdds.operator.exporter.source;

/** A check that bytes are well-formed UTF-8 (RFC 3629), fast on the ASCII that most text is. */
final class Utf8 {
  private Utf8() {}

  /** The offset of the first byte that is not part of a well-formed sequence, or -1. */
  static int firstInvalid(byte[] bytes, int length) {
    int i = 0;
    while (i < length) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int lead = b & 0xff;
      int size;
      int min;
      if (lead >= 0xc2 && lead <= 0xdf) {
        size = 2;
        min = 0x80;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        size = 3;
        min = 0x800;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        size = 4;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + size > length) {
        return i;
      }
      int code = lead & (0xff >> (size + 1));
      for (int k = 1; k < size; k++) {
        int next = bytes[i + k] & 0xff;
        if ((next & 0xc0) != 0x80) {
          return i;
        }
        code = (code << 6) | (next & 0x3f);
      }
      if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return i;
      }
      i += size;
    }
    return -1;
  }
}
