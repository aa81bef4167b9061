package org.gsae.jobs;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices that the JVM is being shut down (SIGTERM, Ctrl-C, a cluster manager stopping the
 * driver) while a command runs, and makes sure the user is told so in one line. Spark's own
 * shutdown hook stops the SparkContext, and the command then fails with whatever that causes
 * (a cancelled job, a closed file system) or does not get to fail at all before the JVM halts.
 * So the first to report wins: the command's failure handler if it gets there within
 * {@value #REPORT_SECONDS} s, else this hook, which prints the line itself.
 */
final class Interruption implements AutoCloseable {
  static final long REPORT_SECONDS = 3;

  private final PrintStream err;
  private final String line;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final AtomicBoolean reportedOnce = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook = new Thread(this::onShutdown, "gsae-interruption");

  private Interruption(PrintStream err, String line) {
    this.err = err;
    this.line = line;
  }

  /**
   * Starts watching; {@link #close()} stops.
   *
   * @param line the one line to print on an interruption
   */
  static Interruption watch(PrintStream err, String line) {
    Interruption i = new Interruption(err, line);
    try {
      Runtime.getRuntime().addShutdownHook(i.hook);
    } catch (IllegalStateException e) {
      i.shuttingDown.set(true);   // already shutting down
    }
    return i;
  }

  /** Whether the JVM began shutting down while the command ran. */
  boolean happened() {
    return shuttingDown.get();
  }

  /** Prints the interruption line unless it was printed already; true when this call printed it. */
  boolean report() {
    if (reportedOnce.compareAndSet(false, true)) {
      err.println(line);
      err.flush();
      return true;
    }
    return false;
  }

  private void onShutdown() {
    shuttingDown.set(true);
    try {
      if (!done.await(REPORT_SECONDS, TimeUnit.SECONDS)) {
        report();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report();
    }
  }

  /** The command has ended (and reported); shutdown may proceed. */
  @Override
  public void close() {
    done.countDown();
    if (!shuttingDown.get()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutdown began just now: the hook runs and returns at once
      }
    }
  }
}
