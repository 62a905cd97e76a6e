package dev.cdds.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The argocd-cm snippet people paste carries the health check GitOpsIT proves. */
class ArgoCdSnippetTest {
  private static final Path GITOPS = Path.of("..", "docs", "gitops");

  @Test
  void theArgoCdConfigMapSnippetHoldsTheTestedHealthCheck() throws Exception {
    var snippet =
        Serialization.unmarshal(
            Files.readString(GITOPS.resolve("argocd-cm.yaml")), ConfigMap.class);

    assertThat(snippet.getData())
        .containsOnlyKeys("resource.customizations.health.cdds.dev_ExportJob")
        .containsEntry(
            "resource.customizations.health.cdds.dev_ExportJob",
            Files.readString(GITOPS.resolve("health.lua")));
  }
}
