package dev.cdds.operator.runcontract;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes credentials out of a text before it leaves a pod (termination message, history, Events,
 * logs): the values the pod was given, and what looks like one whatever it is (the password of a
 * URL's user info, a {@code password=} parameter), since drivers echo the URL they were given in
 * their errors ({@code No suitable driver found for postgresql://app:S3cret@db/app}).
 */
public final class Redaction {
  public static final String MASK = "***";
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/?#@\\s:]*):[^/?#@\\s]*@");
  private static final Pattern PARAMETER =
      Pattern.compile(
          "(?i)\\b(password|passwd|pwd|sslpassword|secret|secretaccesskey|token)=[^&;\\s]*");

  private final List<String> secrets;

  private Redaction(List<String> secrets) {
    this.secrets = secrets;
  }

  /** Masks {@code secrets} (blank ones ignored) and whatever looks like a credential. */
  public static Redaction of(Collection<String> secrets) {
    return new Redaction(
        secrets.stream()
            .filter(Objects::nonNull)
            .filter(s -> !s.isBlank())
            // The longest first, so that a secret containing another is masked whole.
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList());
  }

  public String apply(String text) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String secret : secrets) {
      // Whole tokens only: a password "p" is masked in ":p@" but leaves "spec" alone.
      redacted =
          Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(secret) + "(?![A-Za-z0-9])")
              .matcher(redacted)
              .replaceAll(MASK);
    }
    redacted =
        USER_INFO
            .matcher(redacted)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + ":" + MASK + "@");
    return PARAMETER
        .matcher(redacted)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "=" + MASK);
  }
}
