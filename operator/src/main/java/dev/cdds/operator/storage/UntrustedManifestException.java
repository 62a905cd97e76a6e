package dev.cdds.operator.storage;

import java.io.IOException;

/**
 * A manifest in storage that is not one this code wrote or can trust: not JSON, naming files
 * outside its run, too large. Unlike other {@link IOException}s, retrying the read cannot help.
 */
public final class UntrustedManifestException extends IOException {
  public UntrustedManifestException(String message) {
    super(message);
  }
}
