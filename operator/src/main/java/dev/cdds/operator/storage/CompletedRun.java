package dev.cdds.operator.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an earlier attempt of a run really completed it: a manifest is only proof when it parses,
 * is the run's own, and every file it lists is there with its size and SHA-256. A node that
 * crashed, a truncated upload or someone writing to the destination can leave a manifest that is
 * not; the run is then redone rather than reported done or failed forever.
 */
public final class CompletedRun {
  private static final Logger LOG = LoggerFactory.getLogger(CompletedRun.class);

  private CompletedRun() {}

  /**
   * The earlier attempt's manifest if it can be trusted.
   *
   * @throws IOException when storage could not be read (worth another attempt)
   */
  public static Optional<Manifest> of(RunStore store, RunTarget target) throws IOException {
    Optional<Manifest> manifest;
    try {
      manifest = store.completed();
    } catch (UntrustedManifestException e) {
      return redo(store, e.getMessage());
    }
    if (manifest.isEmpty()) {
      return manifest;
    }
    Manifest m = manifest.get();
    if (!target.namespace().equals(m.namespace())
        || !target.exportJob().equals(m.exportJob())
        || !target.runId().equals(m.runId())) {
      return redo(
          store,
          Manifest.FILE
              + " is of run "
              + m.namespace()
              + "/"
              + m.exportJob()
              + "/"
              + m.runId()
              + ", not this one");
    }
    for (PartFile file : m.allFiles()) {
      Optional<String> mismatch = mismatch(store, file);
      if (mismatch.isPresent()) {
        return redo(store, mismatch.get());
      }
    }
    return manifest;
  }

  private static Optional<Manifest> redo(RunStore store, String why) {
    LOG.warn("earlier attempt not complete, run redone in={} reason=\"{}\"", store, why);
    return Optional.empty();
  }

  private static Optional<String> mismatch(RunStore store, PartFile file) throws IOException {
    MessageDigest sha256 = Sha256.digest();
    long bytes = 0;
    try (InputStream in = new DigestInputStream(store.open(file.name()), sha256)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes += n;
      }
    } catch (NoSuchFileException e) {
      return Optional.of(file.name() + " is missing");
    }
    String actual = Sha256.hex(sha256);
    if (bytes != file.bytes() || !actual.equals(file.sha256())) {
      return Optional.of(
          file.name() + " has " + bytes + " bytes and SHA-256 " + actual + ", not the manifest's");
    }
    return Optional.empty();
  }
}
