package dev.cdds.localcluster;

import java.sql.DriverManager;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Loads deterministic sample data into a PostgreSQL database, for benchmarks and demos: {@code java
 * -cp <localcluster classpath> dev.cdds.localcluster.GenerateSample --url … --user … --rows N}.
 */
@Command(
    name = "generate-sample",
    mixinStandardHelpOptions = true,
    description =
        "Creates the source tables if needed, empties them and loads deterministic sample data:"
            + " N interactions, N IWD events and N/4 contacts.")
public final class GenerateSample implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(new CommandLine(new GenerateSample()).execute(args));
  }

  @Option(names = "--url", required = true, description = "JDBC URL of the PostgreSQL database.")
  String url;

  @Option(names = "--user", required = true, description = "Database user.")
  String user;

  @Option(
      names = "--password-env",
      defaultValue = "PGPASSWORD",
      description = "Environment variable holding the password. Default: ${DEFAULT-VALUE}.")
  String passwordEnv;

  @Option(names = "--rows", defaultValue = "10000", description = "Default: ${DEFAULT-VALUE}.")
  long rows;

  @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() throws Exception {
    try (var db = DriverManager.getConnection(url, user, System.getenv(passwordEnv))) {
      SampleData.load(db, rows, seed);
    }
    System.out.printf(
        "loaded %d interactions, %d events, %d contacts%n", rows, rows, Math.max(1, rows / 4));
    return 0;
  }
}
