package org.gsae.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Batches are a pure function of (rows, batch, seed, step) and cover each epoch exactly once;
 * the permutation is a keyed bijection, so it works for stores far beyond 2^31 rows in O(1)
 * memory.
 */
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
      long[] idx = plan.indices(t);
      assertEquals(batch, idx.length);
      long[] sorted = idx.clone();
      Arrays.sort(sorted);
      assertArrayEquals(sorted, idx, "indices are returned sorted");
      for (long i : idx) {
        seen[(int) i]++;
      }
    }
    long covered = steps * batch;
    // Every row appears once per complete epoch; the partial epoch adds at most one more.
    for (int r = 0; r < rows; r++) {
      long full = covered / rows;
      assertEquals(true, seen[r] >= full && seen[r] <= full + 1, "row " + r + " seen " + seen[r]);
    }
  }

  /** Every size from 1 to 2100 (odd and even bit widths, powers of two and one past them). */
  @Test
  void givenEverySmallSize_thenEachEpochIsAPermutation() {
    for (int n = 1; n <= 2100; n++) {
      BatchPlan plan = new BatchPlan(n, 1, 1234, true);
      boolean[] hit = new boolean[n];
      for (long epoch = 0; epoch < 2; epoch++) {
        Arrays.fill(hit, false);
        for (int i = 0; i < n; i++) {
          long r = plan.rowAt(epoch, i);
          assertTrue(r >= 0 && r < n && !hit[(int) r], "size " + n + " epoch " + epoch + " place " + i);
          hit[(int) r] = true;
          assertEquals(i, plan.placeOf(epoch, r));
        }
      }
    }
  }

  /**
   * 10^10 rows, no data: for a sample of places, the row is in range and the inverse gives the
   * place back (a bijection cannot map two places to one row), rows are spread over the whole
   * range, epochs differ, and any step is computed alone, the same in any order.
   */
  @Test
  void givenTenBillionRows_thenTheOrderIsABijectionDeterministicAndResumable() {
    long n = 10_000_000_000L;
    BatchPlan plan = new BatchPlan(n, 4096, 42, true);
    SplittableRandom rng = new SplittableRandom(7);
    Set<Long> rows = new HashSet<>();
    double sum = 0;
    int samples = 200_000;
    for (int s = 0; s < samples; s++) {
      long place = rng.nextLong(n);
      long row = plan.rowAt(3, place);
      assertTrue(row >= 0 && row < n, "row " + row);
      assertEquals(place, plan.placeOf(3, row), "inverse of place " + place);
      rows.add(row);
      sum += row;
    }
    assertTrue(rows.size() > samples - 10, "sampled places map to distinct rows: " + rows.size());
    double mean = sum / samples / n;   // ~0.5 with standard error ~0.0006
    assertTrue(Math.abs(mean - 0.5) < 0.005, "rows spread over the range: mean fraction " + mean);
    assertNotEquals(plan.rowAt(0, 12_345), plan.rowAt(1, 12_345), "each epoch its own order");

    long step = 2_441_406L;   // the step that crosses from epoch 0 into epoch 1
    assertEquals(0, plan.epochOf(step));
    assertEquals(1, plan.epochOf(step + 1));
    BatchPlan resumed = new BatchPlan(n, 4096, 42, true);
    assertArrayEquals(plan.indices(step), resumed.indices(step));
    long[] batch = plan.indices(step);
    assertEquals(4096, batch.length);
    assertTrue(batch[4095] < n);
  }

  @Test
  void givenNoShuffle_thenRowsInStoreOrder() {
    BatchPlan plan = new BatchPlan(10, 4, 1, false);
    assertArrayEquals(new long[] {0, 1, 2, 3}, plan.indices(0));
    assertArrayEquals(new long[] {4, 5, 6, 7}, plan.indices(1));
    assertArrayEquals(new long[] {0, 1, 8, 9}, plan.indices(2));   // straddles into epoch 1
  }

  @Test
  void givenSameSeed_thenSameBatchesInAnyQueryOrder() {
    BatchPlan a = new BatchPlan(1000, 32, 7, true);
    BatchPlan b = new BatchPlan(1000, 32, 7, true);
    long[] late = b.indices(100);   // b jumps ahead first (a resumed run)
    for (long t = 0; t < 100; t++) {
      a.indices(t);
    }
    assertArrayEquals(a.indices(100), late);
    assertNotEquals(Arrays.toString(new BatchPlan(1000, 32, 8, true).indices(0)),
        Arrays.toString(a.indices(0)), "another seed gives another batch");
  }

  @Test
  void givenSizesOutsideTheDomain_thenRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BatchPlan(0, 1, 1, true));
    assertThrows(IllegalArgumentException.class, () -> new BatchPlan((1L << 62) + 1, 1, 1, true));
    BatchPlan max = new BatchPlan(1L << 62, 1, 9, true);
    long r = max.rowAt(0, (1L << 62) - 1);
    assertTrue(r >= 0 && r < 1L << 62);
    assertEquals((1L << 62) - 1, max.placeOf(0, r));
  }
}
