package org.gsae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Partials arrive in partition order, whether collected at once or cached and fetched in groups. */
class OrderedResultsTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 100L << 20, 300L << 20})   // all at once, groups of 2, one per fetch
  void givenAnyBudgetSplit_thenPartitionOrder(long bytesPerPartition) {
    JavaSparkContext sc = new JavaSparkContext(SparkTestSession.get().sparkContext());
    JavaRDD<Integer> rdd = sc.parallelize(IntStream.range(0, 5).boxed().toList(), 5)
        .mapPartitionsWithIndex((p, it) -> {
          // Later partitions finish first, so completion order is the reverse of partition order.
          Thread.sleep(40L * (5 - p));
          return List.of(p).iterator();
        }, true);
    List<Integer> seen = new ArrayList<>();
    OrderedResults.forEachInOrder(rdd, bytesPerPartition, 256L << 20, "ordered-results test", seen::add);
    assertEquals(List.of(0, 1, 2, 3, 4), seen);
    assertEquals(0, sc.sc().getPersistentRDDs().size(), "the cached partials are released");
  }

  @Test
  void driverBudgetIsAQuarterOfTheHeapAndBelowTheResultSizeLimit() {
    long gib = 1L << 30;
    assertEquals(gib / 10 * 9, OrderedResults.driverBudgetBytes(4 * gib, gib), "4 GiB heap, 1 GiB limit");
    assertEquals(256L << 20, OrderedResults.driverBudgetBytes(gib, gib), "Spark's default driver");
    assertEquals(2 * gib, OrderedResults.driverBudgetBytes(8 * gib, 0), "no result-size limit");
    assertEquals(1, OrderedResults.driverBudgetBytes(0, gib), "never zero");
  }
}
