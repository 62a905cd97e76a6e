package dev.cdds.operator.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The least a JVM command can do for {@code kubectl cdds list}: one HTTPS GET to the API server
 * with a bearer token, trusting one CA, and print the status and the size of the answer — no
 * kubeconfig, no Kubernetes client, no JSON, only the JDK. {@link PluginBenchmark} times it as a
 * whole process beside the plugin: the floor under any JVM implementation of the command.
 *
 * <p>Arguments: the URL, the CA certificate's file, the file holding the token.
 */
public final class TlsRequestFloor {
  private TlsRequestFloor() {}

  public static void main(String[] args) throws Exception {
    var trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (var in = Files.newInputStream(Path.of(args[1]))) {
      trusted.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    var tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    // Blocking I/O: unlike the JDK's HttpClient, no selector thread to hold up the JVM's exit.
    var connection = (HttpsURLConnection) URI.create(args[0]).toURL().openConnection();
    connection.setSSLSocketFactory(tls.getSocketFactory());
    connection.setRequestProperty(
        "Authorization", "Bearer " + Files.readString(Path.of(args[2])).trim());
    try (var in = connection.getInputStream()) {
      System.out.println(connection.getResponseCode() + " " + in.readAllBytes().length);
    }
  }
}
