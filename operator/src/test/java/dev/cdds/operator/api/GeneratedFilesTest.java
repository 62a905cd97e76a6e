package dev.cdds.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * crds/ (the CRD and the deletion policy), their copies in the Helm chart, and docs/api.md are
 * committed so that users, Helm and readers have them; they must be what the Java model generates.
 * After a model change, refresh them with {@code hack/generate.sh}.
 */
class GeneratedFilesTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void committedCrdIsWhatTheModelGenerates() throws IOException {
    assertCommitted(ExportJobCrdGenerator.COMMITTED, ExportJobCrdGenerator.generate());
  }

  @Test
  void committedDeletionPolicyIsWhatTheGeneratorWrites() throws IOException {
    assertCommitted(DeletionPolicyGenerator.COMMITTED, DeletionPolicyGenerator.generate());
  }

  @Test
  void helmChartShipsTheSameCrdAndDeletionPolicy() throws IOException {
    assertCommitted(
        Path.of("helm/cdds-operator/crds/exportjobs.cdds.dev-v1.yml"),
        ExportJobCrdGenerator.generate());
    assertCommitted(
        Path.of("helm/cdds-operator/files/deletion-policy.yml"),
        DeletionPolicyGenerator.generate());
  }

  @Test
  void committedApiReferenceIsWhatTheModelGenerates() throws IOException {
    assertCommitted(
        ApiReferenceGenerator.COMMITTED,
        ApiReferenceGenerator.generate(ExportJobCrdGenerator.generate()));
  }

  private static void assertCommitted(Path relative, String generated) throws IOException {
    Path committed = REPO.resolve(relative);
    if (Boolean.getBoolean("cdds.writeGenerated")) {
      Files.createDirectories(committed.getParent());
      Files.writeString(committed, generated);
    }
    assertThat(committed).exists();
    assertThat(Files.readString(committed))
        .as("%s differs from the model: run hack/generate.sh and commit the result", relative)
        .isEqualTo(generated);
  }
}
