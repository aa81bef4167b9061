package org.gsae.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Batches are a pure function of (rows, batch, seed, step) and cover each epoch exactly once. */
class BatchPlanTest {

  @Property(tries = 200)
  void everyEpochVisitsEachRowOnce(@ForAll @IntRange(min = 1, max = 300) int rows,
      @ForAll @IntRange(min = 1, max = 64) int batch, @ForAll long seed, @ForAll boolean shuffle) {
    BatchPlan plan = new BatchPlan(rows, batch, seed, shuffle);
    int epochs = 3;
    long positions = (long) rows * epochs;
    int[] seen = new int[rows];
    long steps = positions / batch;   // whole steps inside the first `epochs` epochs
    for (long t = 0; t < steps; t++) {
      int[] idx = plan.indices(t);
      assertEquals(batch, idx.length);
      int[] sorted = idx.clone();
      Arrays.sort(sorted);
      assertArrayEquals(sorted, idx, "indices are returned sorted");
      for (int i : idx) {
        seen[i]++;
      }
    }
    long covered = steps * batch;
    // Every row appears once per complete epoch; the partial epoch adds at most one more.
    for (int r = 0; r < rows; r++) {
      long full = covered / rows;
      assertEquals(true, seen[r] >= full && seen[r] <= full + 1, "row " + r + " seen " + seen[r]);
    }
  }

  @Test
  void givenNoShuffle_thenRowsInStoreOrder() {
    BatchPlan plan = new BatchPlan(10, 4, 1, false);
    assertArrayEquals(new int[] {0, 1, 2, 3}, plan.indices(0));
    assertArrayEquals(new int[] {4, 5, 6, 7}, plan.indices(1));
    assertArrayEquals(new int[] {0, 1, 8, 9}, plan.indices(2));   // straddles into epoch 1
  }

  @Test
  void givenSameSeed_thenSameBatchesInAnyQueryOrder() {
    BatchPlan a = new BatchPlan(1000, 32, 7, true);
    BatchPlan b = new BatchPlan(1000, 32, 7, true);
    int[] late = b.indices(100);   // b jumps ahead first (a resumed run)
    for (long t = 0; t < 100; t++) {
      a.indices(t);
    }
    assertArrayEquals(a.indices(100), late);
    assertNotEquals(Arrays.toString(new BatchPlan(1000, 32, 8, true).indices(0)),
        Arrays.toString(a.indices(0)), "another seed gives another batch");
  }
}
