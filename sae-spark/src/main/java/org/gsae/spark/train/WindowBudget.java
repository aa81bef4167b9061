package org.gsae.spark.train;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * The window size {@code input.window_bytes = 0} picks: the executors' storage memory shared
 * by the windows that are resident at once (the one trained on, the {@code prefetch} ones
 * packed ahead, and one more while a step spans two visits), so a store of any size trains
 * without tuning and a store that fits is read as one window.
 */
final class WindowBudget {
  private static final Logger LOG = LoggerFactory.getLogger(WindowBudget.class);
  /** Smallest automatic window: below it, the per-window jobs cost more than they save. */
  static final long MIN_BYTES = 64L << 20;
  /** How long to wait for executors to register before sizing from the driver. */
  private static final long WAIT_MILLIS = 30_000;

  private WindowBudget() {}

  /** Bytes per window for {@code prefetch} windows packed ahead. */
  static long auto(JavaSparkContext jsc, int prefetch) {
    long storage = storageMemory(jsc);
    long budget = Math.max(MIN_BYTES, storage / (2L + prefetch));
    LOG.info("input.window_bytes = 0: windows of at most {} bytes ({} bytes of storage memory"
        + " over {} resident windows)", budget, storage, 2 + prefetch);
    return budget;
  }

  /**
   * Storage memory of the executors' block managers (the driver's in local mode). Waits up to
   * 30 s for a cluster's executors to register.
   */
  static long storageMemory(JavaSparkContext jsc) {
    String driver = SparkEnv.get().blockManager().blockManagerId().hostPort();
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (true) {
      long executors = 0;
      long driverMemory = 0;
      for (var e : JavaConverters.mapAsJavaMapConverter(jsc.sc().getExecutorMemoryStatus()).asJava().entrySet()) {
        long max = (Long) ((Tuple2<?, ?>) e.getValue())._1();
        if (e.getKey().equals(driver)) {
          driverMemory = max;
        } else {
          executors += max;
        }
      }
      if (jsc.isLocal() || executors > 0) {
        return jsc.isLocal() ? driverMemory : executors;
      }
      if (System.currentTimeMillis() > deadline) {
        LOG.warn("no executor registered within {} s; sizing windows from the driver's memory",
            WAIT_MILLIS / 1000);
        return driverMemory;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return driverMemory;
      }
    }
  }
}
