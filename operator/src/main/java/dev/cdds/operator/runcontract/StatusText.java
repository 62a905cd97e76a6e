package dev.cdds.operator.runcontract;

/**
 * Texts that go into status (history messages, conditions, the termination message) are cut to what
 * the CRD's schema allows, so a long error never makes a status write fail.
 */
public final class StatusText {
  public static final int MESSAGE_LIMIT = 512;

  private StatusText() {}

  public static String bounded(String message) {
    return message == null || message.length() <= MESSAGE_LIMIT
        ? message
        : message.substring(0, MESSAGE_LIMIT - 3) + "...";
  }
}
