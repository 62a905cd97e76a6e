package dev.cdds.operator.exporter.source;

import dev.cdds.operator.runcontract.SourceNames;

/**
 * The database a run reads: where it is, who to log in as (from the job's source Secret), and the
 * site's table and column names.
 */
public record SourceDatabase(String url, String user, String password, SourceNames names) {
  /**
   * The database as the Secret says it, its url taken as a JDBC URL or a libpq-style {@code
   * postgresql://} one (see {@link PostgresUrl}).
   *
   * @throws IllegalArgumentException when the url is neither
   */
  public static SourceDatabase of(String url, String user, String password, SourceNames names) {
    return new SourceDatabase(PostgresUrl.jdbc(url), user, password, names);
  }

  @Override
  public String toString() {
    return "SourceDatabase[url=" + url + ", user=" + user + "]";
  }
}
