package org.gsae.tests.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finding and stopping processes by handle, never by name: the harness stops only what it
 * started and what those processes started.
 */
public final class ProcessTree {

  /** The main class of every Spark executor JVM, on its command line. */
  public static final String EXECUTOR_MAIN = "CoarseGrainedExecutorBackend";

  private ProcessTree() {}

  /** The live descendants of {@code root} whose command line contains {@code marker}. */
  public static List<ProcessHandle> descendantsMatching(ProcessHandle root, String marker) {
    return root.descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> commandLine(p).contains(marker))
        .toList();
  }

  /** The full command line of {@code p}, or "" once it has exited or cannot be read. */
  public static String commandLine(ProcessHandle p) {
    return p.info().commandLine().orElse("");
  }

  /** {@code root} followed by its live descendants, captured now (children first die with it). */
  public static List<ProcessHandle> withDescendants(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    root.descendants().forEach(all::add);
    return all;
  }

  /** SIGKILL ({@code kill -9}) to {@code p}, then waits until it is gone. */
  public static void killNow(ProcessHandle p, Duration wait) {
    p.destroyForcibly();
    awaitExit(p, wait);
  }

  /**
   * Stops the given processes: SIGTERM to all, up to {@code grace} for them to exit (a Worker
   * stops its executors on SIGTERM), then SIGKILL to whatever is left.
   *
   * @return the processes still alive after the SIGKILL wait (normally none)
   */
  public static List<ProcessHandle> stopAll(Collection<ProcessHandle> processes, Duration grace) {
    processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : processes) {
      awaitExit(p, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    List<ProcessHandle> stubborn = processes.stream().filter(ProcessHandle::isAlive).toList();
    stubborn.forEach(ProcessHandle::destroyForcibly);
    stubborn.forEach(p -> awaitExit(p, Duration.ofSeconds(10)));
    return stubborn.stream().filter(ProcessHandle::isAlive).toList();
  }

  /** Waits up to {@code wait} for {@code p} to exit; true if it has. */
  public static boolean awaitExit(ProcessHandle p, Duration wait) {
    if (!p.isAlive()) {
      return true;
    }
    try {
      p.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !p.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }
}
