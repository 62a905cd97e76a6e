package dev.cdds.operator.exporter.files;

import dev.cdds.operator.runcontract.RecipientCertificate;
import dev.cdds.operator.storage.Manifest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

/**
 * Files as CMS enveloped-data (RFC 5652, DER) to one certificate, the S/MIME form {@code openssl
 * cms -decrypt} reads: content in AES-256-CBC under a fresh key per file, that key transported with
 * RSA-OAEP (SHA-256) to an RSA certificate or agreed by ECDH (ephemeral-static, SHA-256 KDF,
 * AES-256 key wrap) with an EC one. Streamed: a file of any size passes through in small buffers.
 */
public final class CmsEnvelope implements FileEnvelope {
  /** Bouncy Castle as a provider object, never installed JVM-wide. */
  private static final Provider BC = new BouncyCastleProvider();

  private static final int BUFFER = 64 * 1024;
  static final String CONTENT_ENCRYPTION = "AES-256-CBC";

  private final RecipientCertificate recipient;

  public CmsEnvelope(RecipientCertificate recipient) {
    this.recipient = recipient;
  }

  @Override
  public String suffix() {
    return ".p7m";
  }

  @Override
  public int margin() {
    // Held back by the BER octet-string buffer and one cipher block, plus the trailer.
    return BUFFER + 64;
  }

  @Override
  public OutputStream open(OutputStream stored) throws IOException {
    var generator = new CMSEnvelopedDataStreamGenerator();
    generator.setBufferSize(BUFFER);
    try {
      generator.addRecipientInfoGenerator(recipientInfo());
      OutputEncryptor encryptor =
          new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(BC).build();
      OutputStream enveloped = generator.open(stored, encryptor);
      return new FilterOutputStream(enveloped) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          try (stored) {
            out.close();
          }
        }
      };
    } catch (CMSException | GeneralSecurityException e) {
      throw new IOException("cannot encrypt to " + recipient.subject() + ": " + e.getMessage(), e);
    }
  }

  private RecipientInfoGenerator recipientInfo() throws GeneralSecurityException {
    var certificate = recipient.certificate();
    if (certificate.getPublicKey() instanceof ECPublicKey ec) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
      generator.initialize(ec.getParams());
      KeyPair ephemeral = generator.generateKeyPair();
      return new JceKeyAgreeRecipientInfoGenerator(
              CMSAlgorithm.ECDH_SHA256KDF,
              ephemeral.getPrivate(),
              ephemeral.getPublic(),
              CMSAlgorithm.AES256_WRAP)
          .addRecipient(certificate)
          .setProvider(BC);
    }
    return new JceKeyTransRecipientInfoGenerator(
            certificate,
            new JcaAlgorithmParametersConverter()
                .getAlgorithmIdentifier(
                    PKCSObjectIdentifiers.id_RSAES_OAEP,
                    new OAEPParameterSpec(
                        "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT)))
        .setProvider(BC);
  }

  @Override
  public Manifest.Encryption describe() {
    return new Manifest.Encryption(
        "CMS enveloped-data (RFC 5652), DER",
        CONTENT_ENCRYPTION,
        recipient.subject(),
        recipient.sha256(),
        recipient.notAfter().toString());
  }

  /**
   * The content of an enveloped file, decrypted with the recipient's private key as it is read.
   *
   * @throws IOException when {@code in} is not CMS enveloped-data or {@code key} is not the
   *     recipient's
   */
  public static InputStream decrypt(InputStream in, PrivateKey key) throws IOException {
    try {
      var parser = new CMSEnvelopedDataParser(in);
      Recipient recipient =
          key instanceof RSAPrivateKey
              ? new JceKeyTransEnvelopedRecipient(key).setProvider(BC)
              : new JceKeyAgreeEnvelopedRecipient(key).setProvider(BC);
      CMSException last = null;
      for (RecipientInformation information : parser.getRecipientInfos().getRecipients()) {
        try {
          return information.getContentStream(recipient).getContentStream();
        } catch (CMSException | RuntimeException e) {
          // A wrong RSA key fails either way, depending on its modulus: a padding error, or
          // Bouncy Castle's unchecked "input too large for RSA cipher".
          last = e instanceof CMSException cms ? cms : new CMSException(e.getMessage(), e);
        }
      }
      throw new IOException(
          "the key is not the one this file was encrypted for"
              + (last == null ? "" : " (" + last.getMessage() + ")"));
    } catch (CMSException e) {
      throw new IOException("not a CMS enveloped-data file: " + e.getMessage(), e);
    }
  }
}
