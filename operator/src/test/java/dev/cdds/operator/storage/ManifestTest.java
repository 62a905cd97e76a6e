package dev.cdds.operator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A manifest read from storage names only plain files of its run, or the run is refused. */
class ManifestTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../../.ssh/authorized_keys",
        "/etc/passwd",
        "part/../../x",
        "sub/part-00000.jsonl.gz",
        "..",
        "",
        ".hidden",
        "part\\u0000.gz",
        "part\\u001b[2J.gz",
        "C:\\\\Windows\\\\x"
      })
  void aFileNameThatIsNotAPlainNameOfTheRunRefusesTheWholeRun(String name) {
    var error = catchThrowableOfType(IOException.class, () -> Manifest.parse(manifest(name)));

    assertThat(error).as("accepted %s", name).isNotNull();
    assertThat(error.getMessage())
        .startsWith("manifest.json names \"")
        .contains("not a plain file name of the run")
        .doesNotContain("\u001b")
        .doesNotContain("\u0000");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"part-00000.jsonl.gz", "part-00012.csv.gz.p7m", "attachments-00000.jsonl"})
  void theNamesTheExporterWritesAreRead(String name) throws IOException {
    assertThat(Manifest.parse(manifest(name)).files())
        .singleElement()
        .extracting(PartFile::name)
        .isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escaped", "/abs"})
  void anAttachmentsFileNameIsCheckedToo(String name) {
    String json =
        "{\"manifestVersion\":1,\"files\":[],\"attachments\":{\"records\":1,\"bytes\":1,\"files\":"
            + "[{\"name\":\""
            + name
            + "\",\"bytes\":1,\"records\":1,\"sha256\":\"00\"}]}}";

    assertThat(
            catchThrowableOfType(
                IOException.class, () -> Manifest.parse(json.getBytes(StandardCharsets.UTF_8))))
        .isNotNull();
  }

  private static byte[] manifest(String name) {
    return ("{\"manifestVersion\":1,\"files\":[{\"name\":\""
            + name
            + "\",\"bytes\":1,\"records\":1,\"sha256\":\"00\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
