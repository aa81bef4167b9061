package org.gsae.spark.results;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.util.CollectionAccumulator;
import org.gsae.spark.SparkTestSession;
import org.junit.jupiter.api.Test;

/**
 * Partials arrive in partition order, each computed once: large ones read from the cache (a
 * partial whose cached block is gone is computed again; the cache is released afterwards),
 * small ones as task results.
 */
class OrderedResultsTest {
  private static final int N = 5;

  /** Partition p yields [p]; later partitions finish first; every computation is recorded. */
  private static JavaRDD<int[]> reversedFinish(JavaSparkContext sc, CollectionAccumulator<Integer> computed) {
    return sc.parallelize(IntStream.range(0, N).boxed().toList(), N)
        .mapPartitionsWithIndex((p, it) -> {
          Thread.sleep(40L * (N - p));   // completion order is the reverse of partition order
          computed.add(p);
          return List.of(new int[] {p}).iterator();
        }, true);
  }

  private static Map<Integer, Integer> timesComputed(CollectionAccumulator<Integer> computed) {
    Map<Integer, Integer> times = new TreeMap<>();
    computed.value().forEach(p -> times.merge(p, 1, Integer::sum));
    return times;
  }

  @Test
  void givenPartitionsFinishingInReverse_thenPartitionOrderEachComputedOnceAndCacheReleased() {
    JavaSparkContext sc = new JavaSparkContext(SparkTestSession.get().sparkContext());
    CollectionAccumulator<Integer> computed = sc.sc().collectionAccumulator();
    JavaRDD<int[]> rdd = reversedFinish(sc, computed);
    List<Integer> seen = new ArrayList<>();
    // 5 partials of DIRECT_TOTAL_BYTES / 5 + 1 bytes: each is small, but not all of them together.
    long bytes = OrderedResults.DIRECT_TOTAL_BYTES / N + 1;
    OrderedResults.forEachInOrder(rdd, bytes, "ordered-results test", r -> {
      seen.add(r[0]);
      assertSame(CachedPartitions.<int[]>read(rdd, r[0]).orElseThrow().get(0), r,
          "local mode: the sink gets the cached partial itself, not a task result's copy");
    });
    assertEquals(List.of(0, 1, 2, 3, 4), seen);
    assertEquals(Map.of(0, 1, 1, 1, 2, 1, 3, 1, 4, 1), timesComputed(computed),
        "every partition computed once");
    assertEquals(0, sc.sc().getPersistentRDDs().size(), "the cached partials are released");
  }

  @Test
  void givenSmallPartials_thenTaskResultsInPartitionOrderAndNothingCached() {
    JavaSparkContext sc = new JavaSparkContext(SparkTestSession.get().sparkContext());
    CollectionAccumulator<Integer> computed = sc.sc().collectionAccumulator();
    JavaRDD<int[]> rdd = reversedFinish(sc, computed);
    List<Integer> seen = new ArrayList<>();
    OrderedResults.forEachInOrder(rdd, OrderedResults.DIRECT_BYTES, "ordered-results test", r -> {
      seen.add(r[0]);
      assertEquals(Optional.empty(), CachedPartitions.read(rdd, r[0]), "not cached: a task result");
    });
    assertEquals(List.of(0, 1, 2, 3, 4), seen);
    assertEquals(Map.of(0, 1, 1, 1, 2, 1, 3, 1, 4, 1), timesComputed(computed));
    assertEquals(0, sc.sc().getPersistentRDDs().size());
  }

  @Test
  void givenOneLargePartial_thenCachedBlocks() {
    JavaSparkContext sc = new JavaSparkContext(SparkTestSession.get().sparkContext());
    JavaRDD<int[]> rdd = sc.parallelize(List.of(0, 1), 2).map(p -> new int[] {p});
    List<Integer> seen = new ArrayList<>();
    OrderedResults.forEachInOrder(rdd, OrderedResults.DIRECT_BYTES + 1, "ordered-results test", r -> {
      seen.add(r[0]);
      assertSame(CachedPartitions.<int[]>read(rdd, r[0]).orElseThrow().get(0), r);
    });
    assertEquals(List.of(0, 1), seen);
  }

  @Test
  void givenLocalMode_thenTheDriverReadsTheCachedObjectItself() {
    JavaSparkContext sc = new JavaSparkContext(SparkTestSession.get().sparkContext());
    JavaRDD<int[]> rdd = sc.parallelize(List.of(0, 1), 2).map(p -> new int[] {p});
    List<int[]> seen = new ArrayList<>();
    rdd.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      rdd.count();
      int[] first = CachedPartitions.<int[]>read(rdd, 0).orElseThrow().get(0);
      assertSame(first, CachedPartitions.<int[]>read(rdd, 0).orElseThrow().get(0),
          "two reads of a block cached in this JVM return the same object (no copy)");
      seen.add(first);
    } finally {
      rdd.unpersist(true);
    }
    assertEquals(0, seen.get(0)[0]);
    assertEquals(Optional.empty(), CachedPartitions.read(rdd, 0), "an uncached partition reads as absent");
  }

  @Test
  void givenLostBlocks_thenThosePartitionsAreComputedAgainInOrder() {
    JavaSparkContext sc = new JavaSparkContext(SparkTestSession.get().sparkContext());
    CollectionAccumulator<Integer> computed = sc.sc().collectionAccumulator();
    JavaRDD<int[]> rdd = reversedFinish(sc, computed);
    Set<Integer> lost = Set.of(1, 3);
    OrderedResults.BlockReader losing = new OrderedResults.BlockReader() {
      @Override
      public <T> Optional<List<T>> read(JavaRDD<T> r, int partition) {
        if (lost.contains(partition)) {   // as if its executor had died since the job
          SparkEnv.get().blockManager().removeBlock(new RDDBlockId(r.id(), partition), true);
        }
        return CachedPartitions.read(r, partition);
      }
    };
    List<Integer> seen = new ArrayList<>();
    OrderedResults.forEachInOrder(rdd, "ordered-results test", r -> seen.add(r[0]), losing);
    assertEquals(List.of(0, 1, 2, 3, 4), seen);
    assertEquals(Map.of(0, 1, 1, 2, 2, 1, 3, 2, 4, 1), timesComputed(computed),
        "only the partitions whose blocks were lost are computed a second time");
    assertEquals(0, sc.sc().getPersistentRDDs().size(), "the cached partials are released");
  }
}
