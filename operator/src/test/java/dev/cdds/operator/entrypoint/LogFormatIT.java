package dev.cdds.operator.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar's logs: with {@code CDDS_LOG_FORMAT=json}, one JSON object a line on stderr naming
 * the ExportJob, namespace and run of the event; text otherwise; stdout stays free for output.
 */
class LogFormatIT {
  @Test
  void jsonLogsAreOneObjectALineWithTheJobNamespaceAndRun(@TempDir Path dir) throws Exception {
    Process process = export(dir, Map.of("CDDS_LOG_FORMAT", "json"));
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> stderr = stderr(process);

    assertThat(process.waitFor()).isEqualTo(1);
    assertThat(stdout).isEmpty();
    assertThat(stderr).isNotEmpty();
    JsonNode event = new ObjectMapper().readTree(stderr.get(stderr.size() - 1));
    assertThat(event.path("level").asText()).isEqualTo("ERROR");
    assertThat(event.path("formattedMessage").asText())
        .contains("environment variable CDDS_SPEC is not set");
    assertThat(event.path("mdc").path("exportjob").asText()).isEqualTo("nightly");
    assertThat(event.path("mdc").path("namespace").asText()).isEqualTo("team-a");
    assertThat(event.path("mdc").path("run").asText()).isEqualTo("nightly-29924000");
  }

  @Test
  void textLogsByDefault(@TempDir Path dir) throws Exception {
    Process process = export(dir, Map.of());
    List<String> stderr = stderr(process);

    assertThat(process.waitFor()).isEqualTo(1);
    assertThat(stderr)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\S+ ERROR PodStartup export failed .*")
                    .contains("CDDS_SPEC"));
  }

  private static Process export(Path dir, Map<String, String> env) throws Exception {
    var builder =
        new ProcessBuilder("java", "-jar", System.getProperty("cdds.operatorJar"), "export");
    builder.environment().putAll(env);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().put("CDDS_EXPORTJOB", "nightly");
    builder.environment().put("CDDS_NAMESPACE", "team-a");
    builder.environment().put("CDDS_RUN_ID", "nightly-29924000");
    builder.environment().put("CDDS_TERMINATION_LOG", dir.resolve("termination").toString());
    return builder.start();
  }

  private static List<String> stderr(Process process) throws Exception {
    return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }
}
