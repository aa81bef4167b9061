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
  /** Partial results held on the driver at once (and so also below spark.driver.maxResultSize). */
  public static final long DRIVER_BUDGET_BYTES = 256L << 20;

  private OrderedResults() {}

  /**
   * @param perPartition      exactly one result per partition (more are handed over in order too)
   * @param bytesPerPartition approximate serialised size of one partition's results
   * @param description       Spark job description prefix
   * @param sink              receives the results, partition 0 first
   */
  public static <T> void forEachInOrder(JavaRDD<T> perPartition, long bytesPerPartition,
      String description, Consumer<T> sink) {
    int n = perPartition.getNumPartitions();
    int group = (int) Math.max(1, Math.min(n, DRIVER_BUDGET_BYTES / Math.max(1, bytesPerPartition)));
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
