package org.gsae.spark.store;

import java.io.EOFException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.ChecksumException;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;

/**
 * Finds the {@link GsaeException} that a Spark task threw. Spark reports a failed task to
 * the driver as a {@code SparkException} ("Job aborted due to stage failure ...") whose cause
 * is the task's exception, deserialised (a UDF failure adds one more wrapper); the driver
 * rethrows ours so the user sees its one-line message and the right exit code.
 */
public final class TaskFailures {
  private TaskFailures() {}

  /** The first {@link GsaeException} in {@code t}'s cause chain (including {@code t}), if any. */
  public static Optional<GsaeException> find(Throwable t) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof GsaeException g) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  private static final Pattern CHECKSUM_FILE = Pattern.compile("Checksum error: (\\S+) at");
  private static final Pattern READING_FILE =
      Pattern.compile("while reading file (\\S+?)\\.?(\\s|$)");

  /**
   * A task that failed because a file's bytes are damaged (Parquet cannot decode its pages, or
   * they disagree with Hadoop's {@code .crc} checksum), not because a disk or the network
   * failed: INVALID_INPUT naming the file, from the path Spark puts in its "Encountered error
   * while reading file ..." message or the one in the checksum error.
   */
  static Optional<GsaeException> damagedFile(Throwable t) {
    String file = null;
    Throwable parquet = null;
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      Matcher m = READING_FILE.matcher(String.valueOf(c.getMessage()));
      if (file == null && m.find()) {
        file = m.group(1);
      }
      if (parquet == null && (fromParquet(c) || c instanceof EOFException
          || c instanceof ChecksumException)) {
        parquet = c;
      }
      Matcher sum = CHECKSUM_FILE.matcher(String.valueOf(c.getMessage()));
      if (file == null && c instanceof ChecksumException && sum.find()) {
        file = sum.group(1);   // Hadoop's .crc side file disagrees with the bytes read
      }
    }
    if (file == null || parquet == null) {
      return Optional.empty();
    }
    GsaeException g = Errors.invalidInput("the Parquet file is damaged: its data cannot be"
        + " decoded ("
        + parquet.getClass().getSimpleName() + ": " + firstLine(parquet.getMessage()) + ")", file,
        "restore the file from its source or remove it from the input (input.on_invalid=skip"
        + " applies to invalid rows, not to unreadable files)", t);
    return Optional.of(g);
  }

  /** An exception of parquet-mr's (or its shaded Thrift), or one its code threw. */
  static boolean fromParquet(Throwable c) {
    String cls = c.getClass().getName();
    StackTraceElement[] st = c.getStackTrace();
    String top = st.length > 0 ? st[0].getClassName() : "";
    return cls.startsWith("org.apache.parquet.") || cls.startsWith("shaded.parquet.")
        || top.startsWith("org.apache.parquet.") || top.startsWith("shaded.parquet.");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Runs a Spark action; if it fails because a task threw a {@link GsaeException}, throws
   * that exception (with the Spark failure attached as suppressed, for the log) instead.
   * Any other failure propagates unchanged.
   */
  public static <T> T rethrowing(Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) { // SparkException is checked, yet Scala code throws it undeclared

      Optional<GsaeException> ours = find(e);
      if (ours.isPresent() && ours.get() != e) {
        ours.get().addSuppressed(e);
        throw ours.get();
      }
      Optional<GsaeException> damaged = damagedFile(e);
      if (damaged.isPresent()) {
        throw damaged.get();
      }
      throw e;
    }
  }
}
