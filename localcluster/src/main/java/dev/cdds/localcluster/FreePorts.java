package dev.cdds.localcluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 for the servers the tests, the sandbox and the benchmarks start as processes
 * of their own. A port taken from the kernel (bind to 0, close) can be handed to someone else
 * before the server binds it; so ports come from a range below the kernel's ephemeral ports, which
 * it never hands out by itself, and each is reserved by a lock file that this JVM holds until it
 * exits: two test runs at once never get the same port.
 */
public final class FreePorts {
  /** Below the ephemeral range (32768–60999 on Linux by default). */
  private static final int FIRST = 20_000;

  private static final int COUNT = 12_000;
  private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "cdds-ports");
  private static final List<FileChannel> HELD = new ArrayList<>();

  private FreePorts() {}

  public static synchronized int loopback() throws IOException {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = FIRST + ThreadLocalRandom.current().nextInt(COUNT);
      if (reserve(port)) {
        return port;
      }
    }
    throw new IOException("no free port in " + FIRST + "-" + (FIRST + COUNT - 1) + " on 127.0.0.1");
  }

  /**
   * The port a server of {@code dir} had the last time, reserved again, so that whatever points at
   * it (a job's S3 endpoint, a Secret's URL) still does; a new one, remembered in {@code dir/port},
   * the first time.
   *
   * @throws IOException naming the port and what to do when another process holds it
   */
  public static synchronized int remembered(Path dir, String server) throws IOException {
    Path file = dir.resolve("port");
    if (!Files.exists(file)) {
      int port = loopback();
      Files.createDirectories(dir);
      Files.writeString(file, port + "\n");
      return port;
    }
    int port = Integer.parseInt(Files.readString(file).trim());
    if (!reserve(port)) {
      throw new IOException(
          "port "
              + port
              + " on 127.0.0.1, where "
              + server
              + " listened before (remembered in "
              + file
              + "), is taken by another process: stop it (ss -ltnp 'sport = :"
              + port
              + "' shows which), or delete "
              + file
              + " to take a new port (what points at the old one then needs updating)");
    }
    return port;
  }

  /** Locks the port's file for this JVM's life if nobody holds it and the port is free. */
  private static boolean reserve(int port) throws IOException {
    Files.createDirectories(LOCKS);
    FileChannel channel =
        FileChannel.open(
            LOCKS.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      lock = null;
    }
    if (lock != null && bindable(port)) {
      HELD.add(channel);
      return true;
    }
    channel.close();
    return false;
  }

  private static boolean bindable(int port) {
    try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }
}
