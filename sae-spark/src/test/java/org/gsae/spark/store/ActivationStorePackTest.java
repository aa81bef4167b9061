package org.gsae.spark.store;

import static org.gsae.spark.store.StoreFixtures.FLOATS;
import static org.gsae.spark.store.StoreFixtures.rows;
import static org.gsae.spark.store.StoreFixtures.schema;
import static org.gsae.spark.store.StoreFixtures.spark;
import static org.gsae.spark.store.StoreFixtures.values;
import static org.gsae.spark.store.StoreFixtures.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.gsae.spark.SparkTestSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packing: every row round-trips in store order, block sizes, partition counts and order,
 * repartitioning, storage levels, the sample mean. Store: files of 37, 0, 58 (several row
 * groups) and 21 rows, width 5: 116 rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActivationStorePackTest {
  private static final int D_IN = 5;
  private static final int ROWS = 116;

  private String storeDir;
  private ActivationStore store;
  /** row_id -> activation as collected from the DataFrame (the independent reference). */
  private Map<Long, float[]> collected;

  @BeforeAll
  void writeStore(@TempDir Path tmp) {
    storeDir = tmp.resolve("store").toString();
    writeFile(storeDir + "/p-0.parquet", schema("activation", FLOATS), rows(0, 37, D_IN, FLOATS));
    writeFile(storeDir + "/p-1.parquet", schema("activation", FLOATS), List.of());
    writeFile(storeDir + "/p-2.parquet", schema("activation", FLOATS), rows(37, 58, D_IN, FLOATS),
        Map.of("parquet.block.size", "1024", "parquet.page.size", "256"));
    writeFile(storeDir + "/p-3.parquet", schema("activation", FLOATS), rows(95, 21, D_IN, FLOATS));
    store = ActivationStore.open(spark(), InputConfig.of(storeDir));
    collected = new HashMap<>();
    for (Row r : store.withRowIds().select(ActivationStore.ROW_ID, "activation").collectAsList()) {
      List<Float> list = r.getList(1);
      float[] v = new float[list.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = list.get(j);
      }
      collected.put(r.getLong(0), v);
    }
  }

  @AfterAll
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void givenTheDataFrame_thenItHoldsTheFixtureRowsByRowId() {
    assertEquals(ROWS, collected.size());
    collected.forEach((rowId, v) -> assertArrayEquals(values(rowId, D_IN), v, "row " + rowId));
  }

  @Test
  void givenPartitionAndBlockSizes_whenPacked_thenEveryRowRoundTripsInStoreOrder() {
    int[][] configs = {{0, 4096}, {0, 8}, {1, 10}, {3, 7}, {7, 1}, {200, 3}};
    for (int[] c : configs) {
      int partitions = c[0];
      int blockRows = c[1];
      String what = "partitions=" + partitions + ", blockRows=" + blockRows;
      try (PackedStore packed = store.pack(new PackOptions(partitions, blockRows))) {
        assertEquals(D_IN, packed.dIn(), what);
        assertEquals(ROWS, packed.validRows(), what);
        assertEquals(0, packed.skippedRows(), what);
        int n = packed.numPartitions();
        assertEquals(packed.blocks().getNumPartitions(), n, what);
        if (partitions > 0) {
          assertEquals(partitions, n, what);
        }
        long[] counts = packed.partitionRowCounts();
        List<List<RowBlock>> parts = packed.blocks().glom().collect();
        long next = 0;
        long sum = 0;
        for (int p = 0; p < n; p++) {
          // Exact row_id ranges: partition p holds [floor(T p / n), floor(T (p + 1) / n)).
          assertEquals(ROWS * (p + 1L) / n - ROWS * (long) p / n, counts[p], what + " p=" + p);
          long inPartition = 0;
          List<RowBlock> blocks = parts.get(p);
          for (int b = 0; b < blocks.size(); b++) {
            RowBlock block = blocks.get(b);
            assertEquals(D_IN, block.dIn());
            assertTrue(block.rows() > 0, what);
            if (b < blocks.size() - 1) {
              assertEquals(blockRows, block.rows(), what + " p=" + p + " block " + b);
            } else {
              assertTrue(block.rows() <= blockRows, what);
            }
            for (int r = 0; r < block.rows(); r++, next++) {
              assertEquals(next, block.rowIds()[r], what); // store order, no gaps
              assertArrayEquals(collected.get(next), block.row(r), what + " row " + next);
            }
            inPartition += block.rows();
          }
          assertEquals(counts[p], inPartition, what + " p=" + p);
          sum += counts[p];
        }
        assertEquals(ROWS, next, what);
        assertEquals(ROWS, sum, what);
      }
    }
  }

  /**
   * No open cost: Spark packs several files into one scan partition, largest first (p-2
   * before p-0), so scan order is not store order.
   */
  @Test
  void givenScrambledScanPartitions_whenPacked_thenStoreOrderIsRestored() {
    SparkTestSession.withSqlConf("spark.sql.files.openCostInBytes", "1", () -> {
      try (ActivationStore s = ActivationStore.open(spark(), InputConfig.of(storeDir))) {
        int scanPartitions = s.withRowIds().rdd().getNumPartitions();
        List<Long> scanOrder = s.withRowIds().select(ActivationStore.ROW_ID).as(
            org.apache.spark.sql.Encoders.LONG()).collectAsList();
        assertTrue(!isSorted(scanOrder), "fixture should scan out of store order: " + scanOrder);
        for (int partitions : new int[] {0, 2}) {
          try (PackedStore packed = s.pack(new PackOptions(partitions, 6))) {
            long next = 0;
            for (RowBlock b : StoreFixtures.blocksInOrder(packed)) {
              for (int r = 0; r < b.rows(); r++, next++) {
                assertEquals(next, b.rowIds()[r]);
                assertArrayEquals(collected.get(next), b.row(r));
              }
            }
            assertEquals(ROWS, next);
            assertEquals(partitions == 0 ? scanPartitions : partitions, packed.numPartitions());
          }
        }
      }
    });
  }

  private static boolean isSorted(List<Long> ids) {
    for (int i = 1; i < ids.size(); i++) {
      if (ids.get(i) < ids.get(i - 1)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void givenStorageLevels_whenPacked_thenBlocksArePersistedOrNotAndReleasedOnClose() {
    for (String level : new String[] {"MEMORY_ONLY", "DISK_ONLY", "NONE"}) {
      InputConfig config = new InputConfig(storeDir, "activation", OnInvalid.FAIL, level);
      try (ActivationStore s = ActivationStore.open(spark(), config)) {
        PackedStore packed = s.pack(PackOptions.defaults());
        assertEquals(StorageLevel.fromString(level), packed.blocks().getStorageLevel(), level);
        assertEquals(ROWS, packed.blocks().map(RowBlock::rows).reduce(Integer::sum), level);
        packed.close();
        assertEquals(StorageLevel.NONE(), packed.blocks().getStorageLevel(), level);
      }
    }
  }

  @Test
  void givenSampleSizes_whenMeanTaken_thenItIsTheMeanOfTheFirstRows() {
    try (PackedStore packed = store.pack(new PackOptions(3, 16))) {
      for (int k : new int[] {1, 10, 39, ROWS, 1000}) {
        int used = Math.min(k, ROWS);
        double[] sum = new double[D_IN];
        for (long g = 0; g < used; g++) {
          float[] v = values(g, D_IN);
          for (int j = 0; j < D_IN; j++) {
            sum[j] += v[j];
          }
        }
        float[] expected = new float[D_IN];
        for (int j = 0; j < D_IN; j++) {
          expected[j] = (float) (sum[j] / used);
        }
        // Values are multiples of 1/8, so every partial sum is exact in double and the
        // summation order cannot change the result.
        assertArrayEquals(expected, packed.sampleMean(k), "k=" + k);
      }
    }
  }
}
