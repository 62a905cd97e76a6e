package dev.cdds.operator.testing;

import dev.cdds.localcluster.CommandResult;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed recipient certificates and their keys, as a customer would hand over and keep. */
public final class TestCertificates {
  private TestCertificates() {}

  /** A certificate and its private key, both PEM, written to {@code dir}. */
  public record Recipient(String certificatePem, Path certificate, Path key) {
    /** {@code openssl cms -decrypt} of a DER file with this recipient's key, as documented. */
    public CommandResult opensslDecrypt(Path encrypted, Path plain)
        throws IOException, InterruptedException {
      return CommandResult.run(
          List.of(
              "openssl",
              "cms",
              "-decrypt",
              "-inform",
              "DER",
              "-in",
              encrypted.toString(),
              "-recip",
              certificate.toString(),
              "-inkey",
              key.toString(),
              "-out",
              plain.toString()),
          Map.of());
    }
  }

  public static Recipient rsa(Path dir, String name, int bits, Instant notBefore, Instant notAfter)
      throws IOException, GeneralSecurityException {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return write(
        dir, name, generator.generateKeyPair(), "SHA256withRSA", notBefore, notAfter, null);
  }

  public static Recipient rsa(Path dir, String name) throws IOException, GeneralSecurityException {
    return rsa(dir, name, 2048, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86400));
  }

  public static Recipient ec(Path dir, String name) throws IOException, GeneralSecurityException {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return write(
        dir,
        name,
        generator.generateKeyPair(),
        "SHA256withECDSA",
        Instant.now().minusSeconds(3600),
        Instant.now().plusSeconds(86400),
        null);
  }

  /** An RSA certificate whose key usage allows signing only. */
  public static Recipient rsaForSigningOnly(Path dir, String name)
      throws IOException, GeneralSecurityException {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return write(
        dir,
        name,
        generator.generateKeyPair(),
        "SHA256withRSA",
        Instant.now().minusSeconds(3600),
        Instant.now().plusSeconds(86400),
        new KeyUsage(KeyUsage.digitalSignature));
  }

  private static Recipient write(
      Path dir,
      String name,
      KeyPair keys,
      String signature,
      Instant notBefore,
      Instant notAfter,
      KeyUsage usage)
      throws IOException, GeneralSecurityException {
    var subject = new X500Name("O=cdds test,CN=" + name);
    var builder =
        new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.valueOf(System.nanoTime()),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            keys.getPublic());
    if (usage != null) {
      builder.addExtension(Extension.keyUsage, true, usage);
    }
    X509Certificate certificate;
    try {
      certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
    String certificatePem = pem(certificate);
    Files.createDirectories(dir);
    Path certificateFile = dir.resolve(name + ".crt.pem");
    Path keyFile = dir.resolve(name + ".key.pem");
    Files.writeString(certificateFile, certificatePem);
    Files.writeString(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
    return new Recipient(certificatePem, certificateFile, keyFile);
  }

  private static String pem(Object object) throws IOException {
    var text = new StringWriter();
    try (var writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }
}
