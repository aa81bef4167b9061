package org.gsae.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FSError;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import picocli.CommandLine;

/**
 * Maps a failure to its exit code and its one-line message. A {@link GsaeException} anywhere
 * in the cause chain decides (Spark wraps task failures in {@code SparkException}, with the
 * executor's exception as the cause); else an {@link IOException} means an I/O failure (4);
 * a picocli parse error is a usage error (2); anything else is 1.
 */
public final class Failures {
  private Failures() {}

  /** Longest message printed; the log has the rest. */
  static final int MAX_MESSAGE = 1000;

  /** The exit code for {@code t} (never 0). */
  public static int exitCode(Throwable t) {
    return errorCode(t).exitCode();
  }

  /** The kind of failure {@code t} is. */
  public static ErrorCode errorCode(Throwable t) {
    GsaeException g = find(t, GsaeException.class);
    if (g != null) {
      return g.code();
    }
    if (find(t, CommandLine.ParameterException.class) != null) {
      return ErrorCode.USAGE;
    }
    if (find(t, IOException.class) != null || find(t, UncheckedIOException.class) != null
        || find(t, FSError.class) != null) {
      return ErrorCode.IO;
    }
    return ErrorCode.INTERNAL;
  }

  /** The message for stderr: one line, no stack trace, bounded length. */
  public static String message(Throwable t) {
    GsaeException g = find(t, GsaeException.class);
    if (g != null) {
      return oneLine(g.getMessage());
    }
    CommandLine.ParameterException p = find(t, CommandLine.ParameterException.class);
    if (p != null) {
      return oneLine(p.getMessage());
    }
    OutOfMemoryError oom = find(t, OutOfMemoryError.class);
    if (oom != null) {
      return oneLine(outOfMemory(oom));
    }
    FSError fsError = find(t, FSError.class);
    if (fsError != null) {
      return oneLine("I/O failure: " + fsError.getMessage() + " (is the disk or quota full?)."
          + " Fix: free space where the output and Spark's local directories (spark.local.dir)"
          + " are, or choose another output location");
    }
    IOException io = find(t, IOException.class);
    Throwable shown = io != null ? io : t;
    String msg = shown.getMessage();
    String text = shown.getClass().getSimpleName() + (msg == null ? "" : ": " + firstLine(msg));
    return oneLine(io != null ? "I/O failure: " + text : text);
  }

  /** The line for an out-of-memory failure: what ran out, the limit, and what to set. */
  static String outOfMemory(OutOfMemoryError e) {
    Runtime rt = Runtime.getRuntime();
    long maxMiB = rt.maxMemory() >> 20;
    return "out of memory (" + e.getMessage() + "): this JVM's heap is at most " + maxMiB
        + " MiB (-Xmx). Fix: give the JVM more memory (bin/sae: GSAE_JAVA_OPTS=-Xmx"
        + Math.max(2048, 2 * maxMiB) + "m; spark-submit: --driver-memory, and spark.executor.memory"
        + " plus spark.executor.memoryOverhead for executors; README, Memory sizing), or lower"
        + " train.batch_size, analyze.batch_size or the model's d_sae";
  }

  /** What an interrupted command leaves behind, and how to continue. */
  static String keptAfterInterruption(String command) {
    if (command.endsWith("train") || command.endsWith("demo")) {
      return "the checkpoints written so far are kept under output.path/checkpoints. Fix: re-run"
          + " the same command to resume from the newest one";
    }
    return "nothing of this run was published (an earlier output is unchanged). Fix: re-run the"
        + " same command";
  }

  /** The first throwable of {@code type} in the cause chain of {@code t} (cycle-safe). */
  static <T extends Throwable> T find(Throwable t, Class<T> type) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  /** {@code s} with line breaks turned into spaces and cut to {@link #MAX_MESSAGE}. */
  static String oneLine(String s) {
    String flat = s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "...";
  }

  /** Spark puts the executor's stack trace into the message after the first line. */
  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
