package dev.cdds.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void portsAskedForAtOnceAreDistinctAndFreeAndOutsideTheKernelsEphemeralRange() throws Exception {
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    var pool = Executors.newFixedThreadPool(8);
    List<Future<?>> asked = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      asked.add(pool.submit(() -> assertThat(ports.add(FreePorts.loopback())).isTrue()));
    }
    for (Future<?> f : asked) {
      f.get();
    }
    pool.shutdown();

    assertThat(ports).hasSize(200).allMatch(p -> p >= 20_000 && p < 32_000);
    for (int port : ports) {
      try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void aPortInUseIsNeverHandedOut() throws Exception {
    List<ServerSocket> taken = new ArrayList<>();
    try {
      for (int port = 20_000; port < 32_000; port += 2) {
        try {
          taken.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
        } catch (java.io.IOException alreadyInUse) {
          // Someone else's: just as good for this test.
        }
      }
      for (int i = 0; i < 50; i++) {
        int port = FreePorts.loopback();
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          assertThat(socket.isBound()).isTrue();
        }
      }
    } finally {
      for (ServerSocket s : taken) {
        s.close();
      }
    }
  }
}
