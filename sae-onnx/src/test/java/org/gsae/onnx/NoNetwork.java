package org.gsae.onnx;

import java.security.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A security manager that refuses and records every connection attempt of the JVM, name
 * lookups included, from any thread; everything else is allowed. Needs
 * {@code -Djava.security.manager=allow} on Java 18 and later (set for this module's tests);
 * Java 24 removed the security manager, so these tests need Java 17-23 (the build's is 17) and
 * another watch (a proxy selector, or a network namespace) after that.
 */
final class NoNetwork extends SecurityManager {
  private final List<String> attempts = Collections.synchronizedList(new ArrayList<>());

  static NoNetwork install() {
    NoNetwork n = new NoNetwork();
    System.setSecurityManager(n);
    return n;
  }

  static void uninstall() {
    System.setSecurityManager(null);
  }

  List<String> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  void clear() {
    attempts.clear();
  }

  @Override
  public void checkConnect(String host, int port) {
    attempts.add(host + ":" + port);
    throw new SecurityException("no network in this test: " + host + ":" + port);
  }

  @Override
  public void checkConnect(String host, int port, Object context) {
    checkConnect(host, port);
  }

  @Override
  public void checkPermission(Permission perm) {}

  @Override
  public void checkPermission(Permission perm, Object context) {}
}
