package dev.cdds.localcluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port free on 127.0.0.1 now, for a server the tests, the sandbox or a benchmark start. */
public final class FreePorts {
  private FreePorts() {}

  public static int loopback() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
