package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** kubeconfig files for other processes: the sandbox's operator, the plugin under test. */
final class Kubeconfigs {
  private Kubeconfigs() {}

  /** A kubeconfig for {@code server} with a bearer token; {@code caData}: base64 PEM. */
  static String of(String server, String caData, String token, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: user
          user:
            token: %s
        contexts:
        - name: local
          context:
            cluster: local
            user: user
            namespace: %s
        current-context: local
        """
        .formatted(server, caData, token, namespace);
  }

  /** Writes one authenticated as a ServiceAccount (a day-long token) to {@code file}. */
  static Path writeFor(
      KubernetesClient admin, String caData, String namespace, String serviceAccount, Path file)
      throws IOException {
    String token = token(admin, namespace, serviceAccount);
    Files.writeString(file, of(admin.getConfiguration().getMasterUrl(), caData, token, namespace));
    return file;
  }

  /** A day-long TokenRequest token of the ServiceAccount, as a pod gets. */
  private static String token(KubernetesClient admin, String namespace, String serviceAccount) {
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(24 * 3600L)
                .endSpec()
                .build())
        .getStatus()
        .getToken();
  }
}
