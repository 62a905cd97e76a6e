package dev.cdds.operator.plugin;

import dev.cdds.operator.exporter.files.CmsEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl cdds decrypt FILE… --key key.pem}: what {@code openssl cms -decrypt} does, for
 * users without openssl at hand. Each {@code NAME.p7m} becomes {@code NAME}; nothing is ever
 * overwritten, and a file that fails to decrypt leaves no partial output.
 */
@Command(
    name = "decrypt",
    mixinStandardHelpOptions = true,
    description =
        "Decrypts exported .p7m files with the private key of the certificate they were"
            + " encrypted to: part-00000.jsonl.gz.p7m becomes part-00000.jsonl.gz.")
final class DecryptCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Encrypted files (.p7m).")
  List<Path> files;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEY.pem",
      description = "The recipient's PEM private key (PKCS#8, or PKCS#1 RSA / SEC1 EC).")
  Path key;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "PATH",
      description = "Where the plain file goes (one FILE only); - for standard output.")
  String output;

  @Override
  public Integer call() throws IOException {
    if (output != null && files.size() > 1) {
      throw new IllegalArgumentException("--output takes one FILE, not " + files.size());
    }
    PrivateKey privateKey = privateKey(key);
    for (Path file : files) {
      if (output != null && output.equals("-")) {
        try (InputStream in = Files.newInputStream(file);
            InputStream plain = CmsEnvelope.decrypt(in, privateKey)) {
          plain.transferTo(System.out);
          System.out.flush();
        } catch (IOException e) {
          throw new IOException(file + ": " + e.getMessage(), e);
        }
        continue;
      }
      Path target = output != null ? Path.of(output) : plainName(file);
      decrypt(file, target, privateKey);
      spec.commandLine().getOut().println(file + " -> " + target);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static Path plainName(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".p7m")) {
      throw new IllegalArgumentException(
          file + " does not end in .p7m: name the plain file with --output");
    }
    return file.resolveSibling(name.substring(0, name.length() - ".p7m".length()));
  }

  /** Written next to the target and moved into place only once complete. */
  private static void decrypt(Path file, Path target, PrivateKey privateKey) throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target + " exists: remove it or choose --output");
    }
    Path partial =
        (target.toAbsolutePath().getParent()).resolve("." + target.getFileName() + ".decrypting");
    try (InputStream in = Files.newInputStream(file);
        InputStream plain = CmsEnvelope.decrypt(in, privateKey);
        OutputStream out =
            Files.newOutputStream(
                partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      plain.transferTo(out);
    } catch (NoSuchFileException e) {
      Files.deleteIfExists(partial);
      throw new NoSuchFileException(e.getFile() + ": no such file");
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
  }

  static PrivateKey privateKey(Path file) throws IOException {
    Object parsed;
    try (Reader reader = Files.newBufferedReader(file);
        var pem = new PEMParser(reader)) {
      parsed = pem.readObject();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file + ": no such file");
    }
    var converter = new JcaPEMKeyConverter();
    if (parsed instanceof PrivateKeyInfo info) {
      return converter.getPrivateKey(info);
    }
    if (parsed instanceof PEMKeyPair pair) {
      return converter.getKeyPair(pair).getPrivate();
    }
    if (parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new IllegalArgumentException(
          file
              + " is a passphrase-protected key: write it unprotected to a private file first"
              + " (openssl pkey -in "
              + file
              + " -out key.pem)");
    }
    throw new IllegalArgumentException(
        file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }
}
