package dev.cdds.localcluster;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Clients authenticated as a ServiceAccount (a TokenRequest token, as a pod gets), so that the API
 * server's RBAC decides what they may do.
 */
final class ServiceAccountClients {
  private ServiceAccountClients() {}

  /** {@code caCertData}: the API server's CA, base64 PEM, as in a kubeconfig. */
  static KubernetesClient of(
      KubernetesClient admin, String caCertData, String namespace, String serviceAccount) {
    String token = token(admin, namespace, serviceAccount);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(admin.getConfiguration().getMasterUrl())
            .withCaCertData(caCertData)
            .withOauthToken(token)
            .withNamespace(namespace)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A day-long TokenRequest token of the ServiceAccount, as a pod gets. */
  static String token(KubernetesClient admin, String namespace, String serviceAccount) {
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
