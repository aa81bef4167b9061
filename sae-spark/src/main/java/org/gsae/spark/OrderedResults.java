package org.gsae.spark;

import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.gsae.spark.store.TaskFailures;

/**
 * Brings one partial result per partition to the driver and hands them over in partition
 * order, so a floating-point merge does not depend on which task finished first (Spark's
 * {@code treeAggregate} merges in completion order). The driver never holds more than a
 * budget of partial results: when they do not all fit, the partials are computed once, in
 * parallel, and cached (memory and disk), then fetched in groups that fit; a partial lost with
 * an executor is recomputed from lineage, deterministically.
 */
public final class OrderedResults {
  private OrderedResults() {}

  /**
   * Bytes of partial results the driver may hold at once: a quarter of its heap, and at most
   * 90% of {@code spark.driver.maxResultSize} (a job whose results pass that limit fails;
   * 0 = no limit). With a 4 GiB driver heap and the default 1 GiB limit: 0.9 GiB, so the two
   * 151 MB gradients of a 768 x 24576 step arrive in one job; with Spark's default 1 GiB
   * driver heap: about 256 MiB.
   */
  public static long driverBudgetBytes(long maxHeapBytes, long maxResultSizeBytes) {
    long budget = maxHeapBytes / 4;
    if (maxResultSizeBytes > 0) {
      budget = Math.min(budget, maxResultSizeBytes / 10 * 9);
    }
    return Math.max(1, budget);
  }

  /**
   * {@link #forEachInOrder(JavaRDD, long, long, String, Consumer)} with the budget of
   * {@link #driverBudgetBytes} for this driver (its max heap, the context's
   * {@code spark.driver.maxResultSize}).
   */
  public static <T> void forEachInOrder(JavaRDD<T> perPartition, long bytesPerPartition,
      String description, Consumer<T> sink) {
    long maxResult = perPartition.context().getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
    forEachInOrder(perPartition, bytesPerPartition,
        driverBudgetBytes(Runtime.getRuntime().maxMemory(), maxResult), description, sink);
  }

  /**
   * @param perPartition      exactly one result per partition (more are handed over in order too)
   * @param bytesPerPartition approximate serialised size of one partition's results
   * @param budgetBytes       partial results the driver may hold at once: more partitions than
   *                          fit are computed in one job, cached, and fetched in groups that fit
   * @param description       Spark job description prefix
   * @param sink              receives the results, partition 0 first
   */
  public static <T> void forEachInOrder(JavaRDD<T> perPartition, long bytesPerPartition,
      long budgetBytes, String description, Consumer<T> sink) {
    int n = perPartition.getNumPartitions();
    int group = (int) Math.max(1, Math.min(n, budgetBytes / Math.max(1, bytesPerPartition)));
    boolean cached = group < n;
    if (cached) {
      perPartition.persist(StorageLevel.MEMORY_AND_DISK());
      perPartition.context().setJobDescription(description + " (compute)");
      TaskFailures.rethrowing(perPartition::count);
    }
    try {
      for (int start = 0; start < n; start += group) {
        int[] ids = new int[Math.min(group, n - start)];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = start + i;
        }
        perPartition.context().setJobDescription(description + (cached
            ? " (fetch partitions " + start + ".." + (start + ids.length - 1) + " of " + n + ")" : ""));
        List<T>[] results = TaskFailures.rethrowing(() -> perPartition.collectPartitions(ids));
        for (List<T> partition : results) {
          partition.forEach(sink);
        }
      }
    } finally {
      if (cached) {
        perPartition.unpersist(false);
      }
    }
  }
}
