package dev.cdds.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutputEncryption {
  @Required
  @JsonPropertyDescription(
      "Secret in the ExportJob's namespace holding the recipient's PEM X.509 certificate (RSA of"
          + " 2048 bits or more, or EC). Every file is then written as CMS enveloped-data (S/MIME,"
          + " .p7m) that only the holder of the certificate's private key can read; the private"
          + " key never goes to the cluster. An expired, not yet valid, malformed or weak"
          + " certificate stops the job before any data is read.")
  public SecretReference certificateSecretRef;

  @Default("tls.crt")
  @Pattern("^[-._a-zA-Z0-9]{1,253}$")
  @JsonPropertyDescription(
      "Key of the Secret whose value is the PEM certificate: tls.crt, as cert-manager writes"
          + " it, or as kubectl create secret generic NAME --from-file=tls.crt=recipient.pem"
          + " does.")
  public String certificateKey;
}
