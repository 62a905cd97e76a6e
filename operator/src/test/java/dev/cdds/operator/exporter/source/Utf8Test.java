package dev.cdds.operator.exporter.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void acceptsWellFormedTextOfEverySequenceLength() {
    byte[] text = "ascii, é, 注文, 😀".getBytes(StandardCharsets.UTF_8);

    assertThat(Utf8.firstInvalid(text, text.length)).isEqualTo(-1);
  }

  @Test
  void findsTheFirstByteOfEachKindOfMalformedSequence() {
    assertThat(invalidAt(0x61, 0xe9, 0x20)).as("Latin-1 é").isEqualTo(1);
    assertThat(invalidAt(0xc0, 0xaf)).as("overlong /").isEqualTo(0);
    assertThat(invalidAt(0xe0, 0x80, 0xaf)).as("overlong, 3 bytes").isEqualTo(0);
    assertThat(invalidAt(0xed, 0xa0, 0x80)).as("UTF-16 surrogate").isEqualTo(0);
    assertThat(invalidAt(0xf4, 0x90, 0x80, 0x80)).as("above U+10FFFF").isEqualTo(0);
    assertThat(invalidAt(0x61, 0xe6, 0xb3)).as("cut short").isEqualTo(1);
    assertThat(invalidAt(0x80)).as("continuation alone").isEqualTo(0);
  }

  @Test
  void looksOnlyAtTheGivenLength() {
    byte[] bytes = {0x61, 0x62, (byte) 0xff};

    assertThat(Utf8.firstInvalid(bytes, 2)).isEqualTo(-1);
  }

  private static int invalidAt(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return Utf8.firstInvalid(bytes, bytes.length);
  }
}
