package org.gsae.tests.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A SparkSubmit driver JVM started by {@link SparkSubmitRunner#start()}: watch its output
 * while it runs ({@link #awaitStdout}), then {@link #await()} its result. Closing it kills
 * the driver and its children if they still run.
 */
public final class RunningSubmit implements AutoCloseable {

  private static final long POLL_MILLIS = 100;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Process process;
  private final List<String> command;
  private final Path dir;
  private final Path stdout;
  private final Path stderr;
  private final Duration timeout;
  private final long startNanos = System.nanoTime();
  private SubmitResult result;

  RunningSubmit(Process process, List<String> command, Path dir, Path stdout, Path stderr,
      Duration timeout) {
    this.process = process;
    this.command = List.copyOf(command);
    this.dir = dir;
    this.stdout = stdout;
    this.stderr = stderr;
    this.timeout = timeout;
  }

  /** The driver JVM's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the driver JVM still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The driver JVM and its descendants, captured now. */
  public List<ProcessHandle> processTree() {
    return ProcessTree.withDescendants(process.toHandle());
  }

  /** This submission's scratch directory (its working directory). */
  public Path dir() {
    return dir;
  }

  /** What the driver has written to stdout so far. */
  public String stdoutSoFar() {
    return read(stdout);
  }

  /** What the driver has written to stderr so far. */
  public String stderrSoFar() {
    return read(stderr);
  }

  /**
   * Waits until the driver's stdout contains {@code text}.
   *
   * @return true once it does; false if the driver exits first or {@code wait} passes
   */
  public boolean awaitStdout(String text, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (stdoutSoFar().contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        return stdoutSoFar().contains(text);
      }
      pause();
    }
    return false;
  }

  /**
   * Waits until the driver's stdout has a complete line (ended by a newline) that starts with
   * {@code prefix}.
   *
   * @return that line without its newline; empty if the driver exits first or {@code wait}
   *     passes
   */
  public Optional<String> awaitStdoutLine(String prefix, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      boolean exited = !process.isAlive();
      String text = stdoutSoFar();
      int end = text.lastIndexOf('\n');
      Optional<String> line = end < 0 ? Optional.empty()
          : text.substring(0, end).lines().filter(l -> l.startsWith(prefix)).findFirst();
      if (line.isPresent() || exited || System.nanoTime() >= deadline) {
        return line;
      }
      pause();
    }
  }

  /**
   * Waits for the driver to exit, up to the runner's timeout counted from the start; on
   * timeout kills the driver and its descendants and reports {@code timedOut}.
   */
  public synchronized SubmitResult await() {
    if (result != null) {
      return result;
    }
    long remaining = timeout.toNanos() - (System.nanoTime() - startNanos);
    boolean exited;
    try {
      exited = process.waitFor(Math.max(0, remaining), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = false;
    }
    if (!exited) {
      ProcessTree.stopAll(processTree(), STOP_GRACE);
    }
    int exitCode = exited ? process.exitValue() : -1;
    result = new SubmitResult(command, exitCode, !exited,
        Duration.ofNanos(System.nanoTime() - startNanos), read(stdout), read(stderr), stdout,
        stderr);
    return result;
  }

  /** Kills the driver and its descendants if they still run. */
  @Override
  public void close() {
    if (process.isAlive()) {
      ProcessTree.stopAll(processTree(), STOP_GRACE);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file)
          ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while watching a SparkSubmit driver", e);
    }
  }
}
