package org.gsae.spark.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RowIdRangePartitionerTest {

  @Test
  void givenTenRowsInThreePartitions_thenRangesAreFloorBounds() {
    // floor(10 p / 3) = 0, 3, 6, 10
    RowIdRangePartitioner p = new RowIdRangePartitioner(10, 3);
    assertEquals(0, p.start(0));
    assertEquals(3, p.start(1));
    assertEquals(6, p.start(2));
    assertEquals(10, p.end(2));
    int[] expected = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2};
    for (int r = 0; r < 10; r++) {
      assertEquals(expected[r], p.getPartition((long) r), "row " + r);
    }
  }

  @Test
  void givenMorePartitionsThanRows_thenEachRowFindsItsNonEmptyPartition() {
    RowIdRangePartitioner p = new RowIdRangePartitioner(3, 7);
    for (long r = 0; r < 3; r++) {
      int part = p.getPartition(r);
      assertEquals(true, p.start(part) <= r && r < p.end(part), "row " + r + " in " + part);
    }
  }

  @Test
  void givenManyShapes_thenEveryRowIsInsideItsRangeAndRangesTile() {
    for (long total : new long[] {1, 2, 17, 1000, 12345}) {
      for (int n : new int[] {1, 2, 3, 8, 13, 64}) {
        RowIdRangePartitioner p = new RowIdRangePartitioner(total, n);
        assertEquals(0, p.start(0));
        assertEquals(total, p.end(n - 1));
        for (int k = 0; k < n; k++) {
          long size = p.end(k) - p.start(k);
          assertEquals(true, size == total / n || size == total / n + 1, total + "/" + n);
        }
        for (long r = 0; r < total; r += Math.max(1, total / 97)) {
          int k = p.getPartition(r);
          assertEquals(true, p.start(k) <= r && r < p.end(k), r + " in " + k);
        }
      }
    }
  }

  @Test
  void givenHugeStore_thenBoundsDoNotOverflow() {
    long total = Long.MAX_VALUE / 2;
    RowIdRangePartitioner p = new RowIdRangePartitioner(total, 1 << 20);
    assertEquals(total, p.end((1 << 20) - 1));
    assertEquals((1 << 20) - 1, p.getPartition(total - 1));
  }

  @Test
  void givenRowOutsideTheStore_thenRejected() {
    RowIdRangePartitioner p = new RowIdRangePartitioner(5, 2);
    assertThrows(IllegalArgumentException.class, () -> p.getPartition(5L));
    assertThrows(IllegalArgumentException.class, () -> p.getPartition(-1L));
  }
}
