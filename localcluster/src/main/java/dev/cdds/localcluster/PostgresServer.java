package dev.cdds.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's binaries) in a scratch directory, on a free loopback port, for
 * the export tests. initdb refuses to run as root, so as root it runs as the postgres user.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "cdds";
  public static final String PASSWORD = "cdds-test-password";
  public static final String DATABASE = "cdds";

  private final Path bin;
  private final Path dataDir;
  private final int port;
  private final boolean created;

  private PostgresServer(Path bin, Path dataDir, int port, boolean created) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.port = port;
    this.created = created;
  }

  /** Starts a server whose files are in {@code work/<name>}, emptied first. */
  public static PostgresServer start(Path work, String name)
      throws IOException, InterruptedException {
    deleteRecursively(work.resolve(name));
    return startKeeping(work, name);
  }

  /**
   * Starts the server of {@code work/<name>} with the data it has, on the port it had, or a new
   * one; {@link #created()} tells which.
   */
  public static PostgresServer startKeeping(Path work, String name)
      throws IOException, InterruptedException {
    Path bin = binaries();
    Path dir = work.resolve(name);
    Path data = dir.resolve("data");
    if (Files.exists(data.resolve("PG_VERSION"))) {
      int port = FreePorts.remembered(dir, "PostgreSQL");
      pgCtlStart(bin, dir, data, port);
      return new PostgresServer(bin, data, port, false);
    }
    deleteRecursively(dir);
    Files.createDirectories(dir);
    Path password = dir.resolve("password");
    Files.writeString(password, PASSWORD);
    chownToPostgresIfRoot(dir);
    run(
        bin.resolve("initdb"),
        "-D",
        data.toString(),
        "-U",
        USER,
        "--pwfile=" + password,
        "-A",
        "scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C.UTF-8");
    int port = FreePorts.remembered(dir, "PostgreSQL");
    pgCtlStart(bin, dir, data, port);
    var server = new PostgresServer(bin, data, port, true);
    try (Connection admin = DriverManager.getConnection(server.url("postgres"), USER, PASSWORD)) {
      admin.createStatement().execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IOException("PostgreSQL started but refused the test user", e);
    }
    return server;
  }

  private static void pgCtlStart(Path bin, Path dir, Path data, int port)
      throws IOException, InterruptedException {
    run(
        bin.resolve("pg_ctl"),
        "-D",
        data.toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off",
        "start");
  }

  /**
   * Serves TLS from now on with this certificate and key (PEM), as a database whose certificate a
   * private CA signed; plain connections still work.
   */
  public void enableTls(Path certificate, Path key)
      throws IOException, SQLException, InterruptedException {
    Path cert = dataDir.resolve("server.crt");
    Path ownKey = dataDir.resolve("server.key");
    Files.copy(certificate, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(key, ownKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // PostgreSQL refuses a key others may read.
    Files.setAttribute(ownKey, "unix:mode", 0600);
    chownToPostgresIfRoot(dataDir);
    try (Connection admin = connect()) {
      admin.createStatement().execute("ALTER SYSTEM SET ssl = on");
      admin.createStatement().execute("SELECT pg_reload_conf()");
    }
  }

  /** Whether this start created the database (else it found one). */
  public boolean created() {
    return created;
  }

  /** The postmaster's process id, from its pid file. */
  public long pid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
  }

  public String url() {
    return url(DATABASE);
  }

  /** Another database of this server, for a test that changes its data. Returns its JDBC URL. */
  public String createDatabase(String name) throws SQLException {
    try (Connection admin = connect()) {
      admin.createStatement().execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  /**
   * A second database in the SQL_ASCII encoding, which stores text bytes unchecked, as legacy
   * databases do: the only way to hold text that is not valid UTF-8. Returns its JDBC URL.
   */
  public String createSqlAsciiDatabase(String name) throws SQLException {
    try (Connection admin = connect()) {
      admin
          .createStatement()
          .execute(
              "CREATE DATABASE "
                  + name
                  + " ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'");
    }
    return url(name);
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, PASSWORD);
  }

  /** Stops the server (fast shutdown) and starts it again: a database restart mid-export. */
  public void restart() throws IOException, InterruptedException {
    // With its log file, or the restarted server holds our output pipe open.
    run(
        bin.resolve("pg_ctl"),
        "-D",
        dataDir.toString(),
        "-l",
        dataDir.resolveSibling("server.log").toString(),
        "-m",
        "fast",
        "-w",
        "restart");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run(bin.resolve("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
  }

  private static Path binaries() throws IOException {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.naturalOrder())
          .orElseThrow(() -> new IOException("no PostgreSQL: run hack/prerequisites.sh"));
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chownToPostgresIfRoot(Path dir) throws IOException, InterruptedException {
    if (root()) {
      exec(List.of("chown", "-R", "postgres:postgres", dir.toString()));
    }
  }

  private static void run(Path binary, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (root()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(binary.toString());
    command.addAll(List.of(args));
    exec(command);
  }

  private static void exec(List<String> command) throws IOException, InterruptedException {
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
