package dev.cdds.operator.exporter.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {
  @Test
  void aLibpqUrlBecomesAJdbcUrlWithoutItsUserInfo() {
    assertThat(PostgresUrl.jdbc("postgresql://app:S3cret@db.example:5432/app?sslmode=require"))
        .isEqualTo("jdbc:postgresql://db.example:5432/app?sslmode=require");
    assertThat(PostgresUrl.jdbc("postgres://db/app")).isEqualTo("jdbc:postgresql://db/app");
  }

  @Test
  void aJdbcUrlIsTakenAsItIs() {
    assertThat(PostgresUrl.jdbc("jdbc:postgresql://db/app?socketTimeout=5"))
        .isEqualTo("jdbc:postgresql://db/app?socketTimeout=5");
  }

  @Test
  void aLibpqUrlWithoutHostIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> PostgresUrl.jdbc("postgresql:///app?password=S3cret"))
        .hasMessage("the source Secret's url names no host: use postgresql://host:5432/database");
  }
}
