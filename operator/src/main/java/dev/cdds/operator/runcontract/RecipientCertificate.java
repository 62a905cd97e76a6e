package dev.cdds.operator.runcontract;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The certificate exported files are encrypted to, checked the same way by the operator (before a
 * run is scheduled) and by the export pod (before any data is read): a PEM X.509 certificate, valid
 * now, with an RSA key of at least 2048 bits or an EC key, usable for encryption.
 */
public final class RecipientCertificate {
  static final int MIN_RSA_BITS = 2048;

  /** Key usage bits 2 and 4 of RFC 5280: keyEncipherment and keyAgreement. */
  private static final int KEY_ENCIPHERMENT = 2;

  private static final int KEY_AGREEMENT = 4;

  private final X509Certificate certificate;

  private RecipientCertificate(X509Certificate certificate) {
    this.certificate = certificate;
  }

  /**
   * The certificate in {@code pem} if it can be encrypted to at {@code now}.
   *
   * @throws InvalidCertificateException saying what is wrong with it and what to do
   */
  public static RecipientCertificate parse(String pem, Instant now) {
    X509Certificate certificate;
    try {
      certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | ClassCastException e) {
      throw new InvalidCertificateException(
          "is not a PEM X.509 certificate (-----BEGIN CERTIFICATE-----): "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    var recipient = new RecipientCertificate(certificate);
    recipient.check(now);
    return recipient;
  }

  private void check(Instant now) {
    String subject = subject();
    if (now.isAfter(certificate.getNotAfter().toInstant())) {
      throw new InvalidCertificateException(
          "of "
              + subject
              + " expired at "
              + notAfter()
              + ": put the recipient's current certificate into the Secret");
    }
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      throw new InvalidCertificateException(
          "of "
              + subject
              + " is not valid before "
              + certificate.getNotBefore().toInstant()
              + ": check the certificate's dates and this cluster's clock");
    }
    boolean[] usage = certificate.getKeyUsage();
    if (certificate.getPublicKey() instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new InvalidCertificateException(
            "of "
                + subject
                + " has a "
                + bits
                + "-bit RSA key, too weak: at least "
                + MIN_RSA_BITS
                + " bits are required");
      }
      if (usage != null && !usage[KEY_ENCIPHERMENT]) {
        throw new InvalidCertificateException(
            "of " + subject + " does not allow keyEncipherment (its key usage extension)");
      }
    } else if (certificate.getPublicKey() instanceof ECPublicKey) {
      if (usage != null && !usage[KEY_AGREEMENT]) {
        throw new InvalidCertificateException(
            "of " + subject + " does not allow keyAgreement (its key usage extension)");
      }
    } else {
      throw new InvalidCertificateException(
          "of "
              + subject
              + " has a "
              + certificate.getPublicKey().getAlgorithm()
              + " key: use a certificate with an RSA (2048 bits or more) or EC key");
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String subject() {
    return certificate.getSubjectX500Principal().getName();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** SHA-256 of the DER certificate, as {@code openssl x509 -fingerprint -sha256} shows it. */
  public String sha256() {
    try {
      return HexFormat.ofDelimiter(":")
          .withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Why a certificate cannot be encrypted to; the message continues "certificate …". */
  public static final class InvalidCertificateException extends IllegalArgumentException {
    InvalidCertificateException(String message) {
      super(message);
    }
  }
}
