package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server, the Versity S3 Gateway over a scratch directory (built from its Go
 * module by {@code hack/s3-server.sh}), on a free loopback port. It can be stopped and started
 * again on the same port and data, to play an outage.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY_ID = "cdds-test-access";
  public static final String SECRET_ACCESS_KEY = "cdds-test-secret-key-value";
  private static final Path REPO = Repository.ROOT;

  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;

  private S3Server(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server whose objects are in {@code work/<name>/data}, emptied first. */
  public static S3Server start(Path work, String name) throws IOException, InterruptedException {
    Path dir = work.resolve(name);
    Files.createDirectories(dir);
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
    return startKeeping(work, name);
  }

  /**
   * Starts a server on the objects already in {@code work/<name>/data}, if any, on the port it had
   * before: endpoints written into ExportJobs stay valid.
   */
  public static S3Server startKeeping(Path work, String name)
      throws IOException, InterruptedException {
    Path dir = work.resolve(name);
    Files.createDirectories(dir.resolve("data"));
    int port = FreePorts.remembered(dir, "the S3 server");
    var server = new S3Server(build(), dir, port);
    server.start();
    return server;
  }

  /** Starts the server again after {@link #stop()}, with the same port and objects. */
  public void start() {
    try {
      process =
          new ProcessBuilder(
                  binary.toString(),
                  "--access",
                  ACCESS_KEY_ID,
                  "--secret",
                  SECRET_ACCESS_KEY,
                  "--port",
                  "127.0.0.1:" + port,
                  "--quiet",
                  "posix",
                  dir.resolve("data").toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary, e);
    }
    Awaitility.await("S3 server on port " + port)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "S3 server exited: " + Files.readString(dir.resolve("server.log")));
              }
              return accepts();
            });
  }

  /** Stops the server: uploads now fail to connect. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  public long pid() {
    return process.pid();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Creates {@code bucket} unless it exists. */
  public void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        s3.createBucket(r -> r.bucket(bucket));
      }
    }
  }

  public S3Client client() {
    return client(endpoint());
  }

  /** A client of the server at {@code endpoint}, one this JVM did not start (the sandbox's). */
  public static S3Client client(String endpoint) {
    return S3Client.builder()
        .httpClientBuilder(ApacheHttpClient.builder())
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .build();
  }

  /** Keys under {@code prefix} in {@code bucket}, sorted. */
  public List<String> keys(String bucket, String prefix) {
    try (S3Client s3 = client()) {
      return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
          .map(S3Object::key)
          .sorted()
          .toList();
    }
  }

  /** Uploads begun and neither completed nor aborted, under {@code prefix}. */
  public int openUploads(String bucket, String prefix) {
    try (S3Client s3 = client()) {
      return s3.listMultipartUploads(r -> r.bucket(bucket).prefix(prefix)).uploads().size();
    }
  }

  public void write(String bucket, String key, byte[] content) {
    try (S3Client s3 = client()) {
      s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }
  }

  /** The Secret an ExportJob names in its S3 destination, with this server's credentials. */
  public static Secret credentialsSecret(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withStringData(Map.of("accessKeyId", ACCESS_KEY_ID, "secretAccessKey", SECRET_ACCESS_KEY))
        .build();
  }

  public byte[] read(String bucket, String key) {
    try (S3Client s3 = client()) {
      return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private boolean accepts() {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path build() throws IOException, InterruptedException {
    var process =
        new ProcessBuilder("bash", REPO.resolve("hack/s3-server.sh").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    if (process.waitFor() != 0) {
      throw new IOException("hack/s3-server.sh failed");
    }
    return Path.of(output.substring(output.lastIndexOf('\n') + 1));
  }
}
