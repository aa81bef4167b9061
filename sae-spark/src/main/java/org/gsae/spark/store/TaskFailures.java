package org.gsae.spark.store;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
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
      throw e;
    }
  }
}
