package dev.cdds.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * crds/ is committed so that users and Helm can apply it; it must be what the model generates.
 * After a model change, refresh it with {@code hack/crds.sh}.
 */
class CommittedCrdTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void committedCrdIsWhatTheModelGenerates() throws IOException {
    String generated = ExportJobCrdGenerator.generate();
    Path committed = REPO.resolve(ExportJobCrdGenerator.COMMITTED);
    if (Boolean.getBoolean("cdds.writeCrds")) {
      Files.createDirectories(committed.getParent());
      Files.writeString(committed, generated);
    }
    assertThat(committed).exists();
    assertThat(Files.readString(committed))
        .as("%s differs from the model: run hack/crds.sh and commit the result", committed)
        .isEqualTo(generated);
  }
}
