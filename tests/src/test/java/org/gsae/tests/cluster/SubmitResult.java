package org.gsae.tests.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a SparkSubmit run ended: exit code, output (also kept in files) and wall time.
 *
 * @param command    the full {@code java ... SparkSubmit ...} command line
 * @param exitCode   the driver JVM's exit code; -1 if it timed out and was killed
 * @param timedOut   whether the runner's timeout killed it
 * @param elapsed    wall time from start to exit (or kill)
 * @param stdout     everything it wrote to stdout
 * @param stderr     everything it wrote to stderr (Spark's log goes here)
 * @param stdoutFile where stdout was written
 * @param stderrFile where stderr was written
 */
public record SubmitResult(
    List<String> command,
    int exitCode,
    boolean timedOut,
    Duration elapsed,
    String stdout,
    String stderr,
    Path stdoutFile,
    Path stderrFile) {

  private static final int STDOUT_TAIL_LINES = 30;
  private static final int STDERR_TAIL_LINES = 60;

  /** Defensive copy of the command. */
  public SubmitResult {
    command = List.copyOf(command);
  }

  /** Exit code 0 within the timeout. */
  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }

  /**
   * This result if it {@link #succeeded()}.
   *
   * @throws AssertionError otherwise, with {@link #describe()} as the message
   */
  public SubmitResult assertSucceeded() {
    if (!succeeded()) {
      throw new AssertionError("SparkSubmit failed\n" + describe());
    }
    return this;
  }

  /** The lines of stdout. */
  public List<String> stdoutLines() {
    return stdout.lines().toList();
  }

  /**
   * A failure message: outcome, wall time, command, output files and the tails of stdout
   * and stderr.
   */
  public String describe() {
    String outcome = timedOut ? "timed out after " + elapsed : "exit code " + exitCode;
    return outcome + " (" + elapsed.toMillis() + " ms)\n"
        + "command: " + String.join(" ", command) + "\n"
        + "--- stdout (" + stdoutFile + "), last " + STDOUT_TAIL_LINES + " lines ---\n"
        + tail(stdout, STDOUT_TAIL_LINES)
        + "--- stderr (" + stderrFile + "), last " + STDERR_TAIL_LINES + " lines ---\n"
        + tail(stderr, STDERR_TAIL_LINES);
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    StringBuilder sb = new StringBuilder();
    for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }
}
