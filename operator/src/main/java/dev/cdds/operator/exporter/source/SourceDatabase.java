package dev.cdds.operator.exporter.source;

import dev.cdds.operator.runcontract.SourceNames;

/**
 * The database a run reads: where it is, who to log in as (from the job's source Secret), and the
 * site's table and column names.
 */
public record SourceDatabase(String url, String user, String password, SourceNames names) {
  @Override
  public String toString() {
    return "SourceDatabase[url=" + url + ", user=" + user + "]";
  }
}
