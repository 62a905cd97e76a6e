package dev.cdds.operator.runcontract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private final Redaction redaction =
      Redaction.of(Arrays.asList("S3cret-pw", null, " ", "k3y", "p"));

  @Test
  void theValuesThePodWasGivenAreMaskedWherever() {
    assertThat(redaction.apply("FATAL: password S3cret-pw rejected; key k3y; user u:p@db"))
        .isEqualTo("FATAL: password *** rejected; key ***; user u:***@db");
  }

  @Test
  void aUrlsPasswordAndPasswordParametersAreMaskedEvenWhenNotGiven() {
    assertThat(
            Redaction.of(List.of())
                .apply(
                    "No suitable driver found for postgresql://app:0ther@db:5432/app and"
                        + " jdbc:postgresql://db/app?user=app&password=p%40ss&ssl=true"))
        .isEqualTo(
            "No suitable driver found for postgresql://app:***@db:5432/app and"
                + " jdbc:postgresql://db/app?user=app&password=***&ssl=true");
  }

  @Test
  void textWithoutCredentialsIsUnchanged() {
    String text = "destination s3://bucket/ns/job/: connection refused (127.0.0.1:9000)";

    assertThat(redaction.apply(text)).isEqualTo(text);
    assertThat(redaction.apply(null)).isNull();
  }
}
