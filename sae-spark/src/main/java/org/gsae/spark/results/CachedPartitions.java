package org.gsae.spark.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.RDDBlockId;
import scala.Option;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;

/**
 * Reads one cached partition of an RDD on the driver, straight from Spark's block manager:
 * in the driver's own JVM (local mode) the cached objects themselves, from an executor the
 * block's bytes over the block transfer service, deserialised once. This is the one place
 * gsae calls Spark's internal {@code BlockManager} (Scala {@code private[spark]}, stable
 * through Spark 3.x); Spark makes the same driver-side calls to fetch a large task result
 * ({@code TaskResultGetter}) or a broadcast piece. Compared with bringing a partition's value
 * back as a task result, which Spark copies five times (the value's serialisation, the task
 * result's, one contiguous buffer for the status message, and two deserialisations on the
 * driver), a remote read copies twice and a local one not at all.
 */
final class CachedPartitions {
  private CachedPartitions() {}

  /**
   * The elements of partition {@code partition} of {@code rdd} if that partition is cached
   * anywhere in the application, else empty (never computed, evicted without a disk copy, or
   * lost with its executor). The elements may be the cached objects themselves: callers must
   * not modify them.
   */
  static <T> Optional<List<T>> read(JavaRDD<T> rdd, int partition) {
    Option<BlockResult> block = SparkEnv.get().blockManager()
        .get(new RDDBlockId(rdd.id(), partition), ClassTag$.MODULE$.Any());
    if (block.isEmpty()) {
      return Optional.empty();
    }
    // Read to the end: a local read holds the block's read lock until its iterator is exhausted.
    Iterator<Object> it = block.get().data();
    List<T> out = new ArrayList<>(1);
    while (it.hasNext()) {
      @SuppressWarnings("unchecked")
      T element = (T) it.next();
      out.add(element);
    }
    return Optional.of(out);
  }
}
