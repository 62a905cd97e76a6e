package dev.cdds.operator.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdds.operator.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The export pod checks the recipient certificate before it touches the destination or the
 * database: a bad one fails the run with a message naming the problem, and nothing is written.
 */
class ExportCommandEncryptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.now();

  @TempDir Path dir;
  private Path output;

  @BeforeEach
  void setUp() throws Exception {
    output = Files.createDirectories(dir.resolve("output"));
  }

  @Test
  void anExpiredCertificateStopsTheRunBeforeAnythingIsRead() throws Exception {
    var expired =
        TestCertificates.rsa(
            dir, "expired", 2048, NOW.minusSeconds(86400 * 400L), NOW.minusSeconds(86400));

    assertThat(export(expired.certificatePem()))
        .startsWith("spec.output.encryption: the certificate of CN=expired,O=cdds test expired at ")
        .endsWith(": put the recipient's current certificate into the Secret");
    assertNothingWritten();
  }

  @Test
  void aCertificateNotYetValidStopsTheRun() throws Exception {
    var future =
        TestCertificates.rsa(
            dir, "future", 2048, NOW.plusSeconds(86400), NOW.plusSeconds(86400 * 400L));

    assertThat(export(future.certificatePem()))
        .contains("the certificate of CN=future,O=cdds test is not valid before ")
        .contains("check the certificate's dates and this cluster's clock");
    assertNothingWritten();
  }

  @Test
  void aWeakRsaKeyStopsTheRun() throws Exception {
    var weak =
        TestCertificates.rsa(dir, "weak", 1024, NOW.minusSeconds(60), NOW.plusSeconds(86400));

    assertThat(export(weak.certificatePem()))
        .isEqualTo(
            "spec.output.encryption: the certificate of CN=weak,O=cdds test has a 1024-bit RSA"
                + " key, too weak: at least 2048 bits are required");
    assertNothingWritten();
  }

  @Test
  void aCertificateForSigningOnlyStopsTheRun() throws Exception {
    var signing = TestCertificates.rsaForSigningOnly(dir, "signing");

    assertThat(export(signing.certificatePem()))
        .isEqualTo(
            "spec.output.encryption: the certificate of CN=signing,O=cdds test does not allow"
                + " keyEncipherment (its key usage extension)");
    assertNothingWritten();
  }

  @Test
  void somethingThatIsNotACertificateStopsTheRun() throws Exception {
    assertThat(export("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"))
        .startsWith(
            "spec.output.encryption: the certificate is not a PEM X.509 certificate"
                + " (-----BEGIN CERTIFICATE-----): ");
    assertThat(export(null))
        .isEqualTo(
            "spec.output.encryption is set but environment variable CDDS_ENCRYPTION_CERTIFICATE"
                + " is not");
    assertNothingWritten();
  }

  @Test
  void aGoodCertificateLetsTheRunGoOnToTheDatabase() throws Exception {
    var good = TestCertificates.ec(dir, "good");

    assertThat(export(good.certificatePem())).startsWith("source database: ");
  }

  /** Runs the export command as a pod would, against a database nobody listens for. */
  private String export(String certificatePem) throws Exception {
    Path terminationLog = dir.resolve("termination-log");
    var spec =
        Map.of(
            "title", "sealed",
            "source", Map.of("system", "ContactHistory", "type", "Interaction"),
            "schedule", Map.of("run", "Once"),
            "output", Map.of("encryption", Map.of("certificateSecretRef", Map.of("name", "c"))));
    Map<String, String> env = new HashMap<>();
    env.put("CDDS_SPEC", JSON.writeValueAsString(spec));
    env.put("CDDS_RUN_ID", "sealed-29714400");
    env.put("CDDS_NAMESPACE", "ns");
    env.put("CDDS_EXPORTJOB", "sealed");
    env.put("CDDS_SOURCE_URL", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
    env.put("CDDS_SOURCE_USER", "u");
    env.put("CDDS_SOURCE_PASSWORD", "p");
    env.put("CDDS_OUTPUT_DIR", output.toString());
    env.put("CDDS_TERMINATION_LOG", terminationLog.toString());
    if (certificatePem != null) {
      env.put("CDDS_ENCRYPTION_CERTIFICATE", certificatePem);
    }
    int exit = new CommandLine(new ExportCommand(env)).execute("--progress", "log");
    assertThat(exit).isEqualTo(1);
    return JSON.readTree(Files.readString(terminationLog)).get("error").asText();
  }

  private void assertNothingWritten() throws Exception {
    try (Stream<Path> written = Files.walk(output)) {
      assertThat(written).containsExactly(output);
    }
  }
}
