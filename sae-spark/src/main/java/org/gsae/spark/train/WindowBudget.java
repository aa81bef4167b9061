package org.gsae.spark.train;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * Executor storage memory: its size sets the window size {@code input.window_bytes = 0} picks,
 * and its use is reported as training reads windows. The size picked shares the storage memory
 * that execution cannot evict among the windows resident at once (the one trained on, the
 * {@code prefetch} ones packed ahead, and one more while a step spans two visits), so a store
 * of any size trains without tuning and a store that fits is read as one window.
 */
final class WindowBudget {
  private static final Logger LOG = LoggerFactory.getLogger(WindowBudget.class);
  /** Smallest automatic window: below it, the per-window jobs cost more than they save. */
  static final long MIN_BYTES = 64L << 20;
  /** How long to wait for executors to register before sizing from the driver. */
  private static final long WAIT_MILLIS = 30_000;

  private WindowBudget() {}

  /**
   * Bytes per window for {@code prefetch} windows packed ahead: the share of storage memory
   * that execution cannot evict ({@code spark.memory.storageFraction}, default half: the
   * packing's sort and the steps run beside the cached windows) over the resident windows.
   */
  static long auto(JavaSparkContext jsc, int prefetch) {
    long storage = awaitStorage(jsc)[0];
    double fraction = jsc.getConf().getDouble("spark.memory.storageFraction", 0.5);
    long budget = Math.max(MIN_BYTES, (long) (storage * fraction) / (2L + prefetch));
    LOG.info("input.window_bytes = 0: windows of at most {} bytes ({} bytes of storage memory,"
        + " {} of it safe from eviction, over {} resident windows)", budget, storage, fraction,
        2 + prefetch);
    return budget;
  }

  /**
   * {@link #storage} once a cluster's executors have registered (waiting up to 30 s; the
   * driver's alone after that, with a warning).
   */
  private static long[] awaitStorage(JavaSparkContext jsc) {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (true) {
      long[] s = storage(jsc);
      if (s[0] > 0) {
        return s;
      }
      if (System.currentTimeMillis() > deadline) {
        LOG.warn("no executor registered within {} s; sizing windows from the driver's memory",
            WAIT_MILLIS / 1000);
        return storage(jsc, true);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return storage(jsc, true);
      }
    }
  }

  /**
   * {@code [max, used]} storage memory of the executors' block managers (the driver's in local
   * mode), in bytes: what windows can use and what cached blocks (windows, broadcasts, step
   * results) use now.
   */
  static long[] storage(JavaSparkContext jsc) {
    return storage(jsc, jsc.isLocal());
  }

  private static long[] storage(JavaSparkContext jsc, boolean driverOnly) {
    String driver = SparkEnv.get().blockManager().blockManagerId().hostPort();
    long max = 0;
    long used = 0;
    for (var e : JavaConverters.mapAsJavaMapConverter(jsc.sc().getExecutorMemoryStatus())
        .asJava().entrySet()) {
      if (e.getKey().equals(driver) == driverOnly) {
        Tuple2<?, ?> m = e.getValue();
        max += (Long) m._1();
        used += (Long) m._1() - (Long) m._2();
      }
    }
    return new long[] {max, used};
  }

  /** Bytes of cached RDD blocks on disk (spilled, or at a {@code *_DISK} level). */
  static long diskUsed(JavaSparkContext jsc) {
    long disk = 0;
    for (RDDInfo info : jsc.sc().getRDDStorageInfo()) {
      disk += info.diskSize();
    }
    return disk;
  }
}
