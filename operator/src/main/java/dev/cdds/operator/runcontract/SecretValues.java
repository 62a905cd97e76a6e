package dev.cdds.operator.runcontract;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** A key of a Secret as the API server returns it (base64), decoded as UTF-8 text. */
public final class SecretValues {
  private SecretValues() {}

  /** The value of {@code key}; empty when the Secret, its data or the key is absent. */
  public static Optional<String> of(Secret secret, String key) {
    return Optional.ofNullable(secret)
        .map(Secret::getData)
        .map(data -> data.get(key))
        .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
  }
}
