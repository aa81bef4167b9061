package org.gsae.tests.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** TCP ports that are free on 127.0.0.1 right now. */
final class FreePorts {

  private FreePorts() {}

  /**
   * {@code n} distinct ports the kernel hands out as free on the loopback address. Another
   * process may take one before the caller binds it; callers pass Spark
   * {@code spark.port.maxRetries=0} so that such a race fails fast instead of silently moving
   * to a neighbouring port, and then retry with fresh ports.
   */
  static List<Integer> pick(int n) {
    List<ServerSocket> open = new ArrayList<>();
    try {
      // Held open together so that the kernel cannot hand out the same port twice.
      for (int i = 0; i < n; i++) {
        open.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return open.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find free ports on 127.0.0.1", e);
    } finally {
      for (ServerSocket s : open) {
        try {
          s.close();
        } catch (IOException ignored) {
          // The port was only probed.
        }
      }
    }
  }
}
