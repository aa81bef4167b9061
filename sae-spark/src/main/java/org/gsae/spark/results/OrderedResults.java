package org.gsae.spark.results;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.gsae.spark.store.TaskFailures;

/**
 * Brings one partial result per partition to the driver and hands them over in partition
 * order, so a floating-point merge does not depend on which task finished first (Spark's
 * {@code treeAggregate} merges in completion order).
 *
 * <p>Large partials do not travel as task results. One job computes every partition and
 * caches it ({@code MEMORY_AND_DISK}: an executor short of storage memory spills rather than
 * drops it); the driver then reads the cached blocks one at a time, in partition order,
 * through the block manager ({@link CachedPartitions}), and releases them at the end. So the
 * driver holds one partial at a time whatever their number and size,
 * {@code spark.driver.maxResultSize} does not apply, and a partial is copied at most twice on
 * its way (none at all when the driver's JVM computed it, as in local mode) instead of the
 * task-result path's five (151 MB per partition and step at 768 x 24576: about 0.35 s of
 * copying there, measured). A partial whose block is gone by the time the driver asks (its
 * executor was lost) is computed again from lineage, deterministically, by a job for that
 * partition alone.
 *
 * <p>Small partials (at most {@link #DIRECT_BYTES} each and {@link #DIRECT_TOTAL_BYTES} in
 * all) come back as task results of one job instead, as Spark returns any result under its
 * 1 MiB {@code spark.task.maxDirectResultSize} directly: for them the cache's bookkeeping
 * (registering, reading and removing a block per partition) costs more than the copies.
 */
public final class OrderedResults {
  private OrderedResults() {}

  /** Reads a cached partition, or empty when it is not cached (for tests: a reader that misses). */
  @FunctionalInterface
  interface BlockReader {
    <T> Optional<List<T>> read(JavaRDD<T> rdd, int partition);
  }

  /** Largest partial, in bytes, that may come back as a task result: Spark's default direct-result limit. */
  static final long DIRECT_BYTES = 1L << 20;
  /** Largest sum of partials, in bytes, that may come back as task results of one job. */
  static final long DIRECT_TOTAL_BYTES = 64L << 20;

  /**
   * @param perPartition      exactly one result per partition (more are handed over in order too)
   * @param bytesPerPartition approximate serialised size of one partition's results; decides
   *                          between task results and cached blocks (see the class comment)
   * @param description       Spark job description
   * @param sink              receives the results, partition 0 first; must not modify them (a
   *                          result may be the cached object itself)
   */
  public static <T> void forEachInOrder(JavaRDD<T> perPartition, long bytesPerPartition,
      String description, Consumer<? super T> sink) {
    int n = perPartition.getNumPartitions();
    if (bytesPerPartition <= DIRECT_BYTES && bytesPerPartition * n <= DIRECT_TOTAL_BYTES) {
      perPartition.context().setJobDescription(description);
      int[] all = IntStream.range(0, n).toArray();
      for (List<T> results : TaskFailures.rethrowing(() -> perPartition.collectPartitions(all))) {
        results.forEach(sink);
      }
    } else {
      forEachInOrder(perPartition, description, sink, CachedPartitions::read);
    }
  }

  /** The cached-block path, reading blocks with {@code reader}. */
  static <T> void forEachInOrder(JavaRDD<T> perPartition, String description,
      Consumer<? super T> sink, BlockReader reader) {
    perPartition.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      perPartition.context().setJobDescription(description);
      TaskFailures.rethrowing(perPartition::count);
      for (int p = 0; p < perPartition.getNumPartitions(); p++) {
        int partition = p;
        List<T> results = reader.read(perPartition, partition).orElseGet(() -> {
          perPartition.context().setJobDescription(description + " (partition " + partition
              + " again: its cached result was lost)");
          return TaskFailures.rethrowing(() -> perPartition.collectPartitions(new int[] {partition}))[0];
        });
        results.forEach(sink);
      }
    } finally {
      perPartition.unpersist(false);
    }
  }
}
