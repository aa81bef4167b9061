package org.gsae.tests.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCP sockets that given processes listen on, read from Linux's {@code /proc}: the
 * {@code LISTEN} entries of {@code /proc/net/tcp} and {@code /proc/net/tcp6}, matched by inode
 * to the {@code socket:[inode]} links in {@code /proc/<pid>/fd}. Lets a test check that no
 * JVM of the test cluster is reachable from outside the machine.
 */
public final class ListeningSockets {

  private static final String TCP_LISTEN = "0A";
  private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

  private ListeningSockets() {}

  /**
   * One listening socket.
   *
   * @param pid     the process holding it
   * @param address the local address it is bound to (0.0.0.0 or :: for every interface)
   * @param port    the local port
   */
  public record Listener(long pid, InetAddress address, int port) {

    /** Whether only this machine can connect (127.0.0.0/8, ::1, or IPv4-mapped 127.x). */
    public boolean isLoopback() {
      return address.isLoopbackAddress();
    }

    @Override
    public String toString() {
      return "pid " + pid + " " + address.getHostAddress() + ":" + port;
    }
  }

  /** Whether this platform exposes what {@link #of} needs. */
  public static boolean supported() {
    return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
  }

  /**
   * The listening TCP sockets of the given live processes. A process that exits meanwhile is
   * skipped.
   */
  public static List<Listener> of(Collection<ProcessHandle> processes) throws IOException {
    Map<Long, Listener> byInode = new HashMap<>();
    readTable(Path.of("/proc/net/tcp"), byInode);
    readTable(Path.of("/proc/net/tcp6"), byInode);
    List<Listener> found = new ArrayList<>();
    for (ProcessHandle p : processes) {
      for (long inode : socketInodes(p.pid())) {
        Listener l = byInode.get(inode);
        if (l != null) {
          found.add(new Listener(p.pid(), l.address(), l.port()));
        }
      }
    }
    return found;
  }

  private static void readTable(Path table, Map<Long, Listener> byInode) throws IOException {
    if (!Files.isReadable(table)) {
      return;
    }
    List<String> lines = Files.readAllLines(table);
    // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10 || !TCP_LISTEN.equals(f[3])) {
        continue;
      }
      String[] local = f[1].split(":");
      byInode.put(Long.parseLong(f[9]),
          new Listener(-1, decodeAddress(local[0]), Integer.parseInt(local[1], 16)));
    }
  }

  /**
   * The kernel prints addresses as 32-bit words in host byte order (little-endian here):
   * {@code 0100007F} is 127.0.0.1.
   */
  static InetAddress decodeAddress(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int from = (word * 4 + (3 - b)) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(from, from + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Not an IPv4 or IPv6 address: " + hex, e);
    }
  }

  private static List<Long> socketInodes(long pid) {
    List<Long> inodes = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      fds.forEach(fd -> {
        try {
          Matcher m = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) {
            inodes.add(Long.parseLong(m.group(1)));
          }
        } catch (IOException closedMeanwhile) {
          // The descriptor was closed between listing and reading.
        }
      });
    } catch (IOException exited) {
      // The process exited; it listens on nothing.
    }
    return inodes;
  }
}
