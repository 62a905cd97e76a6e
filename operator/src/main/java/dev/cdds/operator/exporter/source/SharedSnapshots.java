package dev.cdds.operator.exporter.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A transaction's snapshot shared with other connections: exported by the transaction that holds it
 * (pg_export_snapshot), imported as the first statement of each other one (SET TRANSACTION
 * SNAPSHOT), valid while the exporting transaction lasts.
 */
public final class SharedSnapshots {
  /** What pg_export_snapshot returns: hexadecimal numbers joined by dashes. */
  private static final Pattern ID = Pattern.compile("[0-9A-F]{1,16}(-[0-9A-F]{1,16}){1,2}");

  private SharedSnapshots() {}

  /** Exports the snapshot of {@code db}'s transaction, which must not have read anything yet. */
  public static String export(Connection db) throws SQLException {
    try (Statement statement = db.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Makes {@code db}'s new transaction read in {@code id}'s snapshot. */
  public static void use(Connection db, String id) throws SQLException {
    try (Statement statement = db.createStatement()) {
      statement.execute(importing(id));
    }
  }

  /**
   * The statement importing snapshot {@code id}, which is checked: it comes from status, which
   * others may write.
   */
  static String importing(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "shared snapshot \"" + id + "\" is not a snapshot id as pg_export_snapshot gives it");
    }
    return "SET TRANSACTION SNAPSHOT '" + id + "'";
  }
}
