package org.gsae.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.gsae.core.train.WindowPlan.Batch;
import org.gsae.core.train.WindowPlan.Cursor;
import org.junit.jupiter.api.Test;

/**
 * The windowed plan: one window is exactly {@link BatchPlan}; every epoch visits each window
 * once and each visit yields each of its rows once; a cursor resumes anywhere; 10^10 rows need
 * no per-row state.
 */
class WindowPlanTest {

  @Property(tries = 100)
  void givenOneWindow_thenEveryStepEqualsBatchPlan(@ForAll @IntRange(min = 1, max = 500) int rows,
      @ForAll @IntRange(min = 1, max = 80) int batch, @ForAll long seed, @ForAll boolean shuffle) {
    BatchPlan flat = new BatchPlan(rows, batch, seed, shuffle);
    WindowPlan windowed = new WindowPlan(1, batch, seed, shuffle);
    Cursor c = Cursor.START;
    for (long t = 0; t < 3L * rows / batch + 2; t++) {
      Batch b = windowed.batch(c, w -> rows);
      assertArrayEquals(new int[] {0}, b.windows());
      assertArrayEquals(flat.indices(t), b.rows()[0], "step " + t);
      assertEquals(WindowPlan.cursorOfStep(t + 1, batch, rows), b.next());
      c = b.next();
    }
  }

  @Property(tries = 100)
  void everyEpochVisitsEachWindowOnceAndEachRowOnce(
      @ForAll @IntRange(min = 1, max = 12) int windows,
      @ForAll @IntRange(min = 1, max = 40) int batch,
      @ForAll long seed, @ForAll boolean shuffle) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] sizes = new long[windows];
    long total = 0;
    for (int w = 0; w < windows; w++) {
      sizes[w] = random.nextInt(0, 60);   // empty windows included
      total += sizes[w];
    }
    if (total == 0) {
      sizes[0] = 1;
      total = 1;
    }
    WindowPlan plan = new WindowPlan(windows, batch, seed, shuffle);
    for (long epoch = 0; epoch < 3; epoch++) {
      boolean[] seen = new boolean[windows];
      for (int i = 0; i < windows; i++) {
        int w = plan.windowAt(epoch * windows + i);
        assertTrue(!seen[w], "window " + w + " twice in epoch " + epoch);
        seen[w] = true;
      }
    }
    // Whole epochs of steps (B * total positions = `batch` epochs) see each row exactly `batch`
    // times.
    int[][] hits = new int[windows][];
    for (int w = 0; w < windows; w++) {
      hits[w] = new int[(int) sizes[w]];
    }
    Cursor c = Cursor.START;
    for (long t = 0; t < total; t++) {
      Batch b = plan.batch(c, w -> sizes[w]);
      int n = 0;
      for (int i = 0; i < b.windows().length; i++) {
        if (i > 0) {
          assertTrue(b.windows()[i - 1] < b.windows()[i], "windows ascending");
        }
        long[] sorted = b.rows()[i].clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, b.rows()[i], "rows sorted");
        for (long r : b.rows()[i]) {
          hits[b.windows()[i]][(int) r]++;
        }
        n += b.rows()[i].length;
      }
      assertEquals(batch, n);
      c = b.next();
    }
    for (int w = 0; w < windows; w++) {
      for (int r = 0; r < sizes[w]; r++) {
        assertEquals(batch, hits[w][r], "window " + w + " row " + r);
      }
    }
    // The stream stops right after the last row used: only empty windows may lie between the
    // cursor and the start of epoch `batch`.
    assertEquals(0, c.offset());
    assertTrue(c.visit() <= (long) batch * windows);
    for (long v = c.visit(); v < (long) batch * windows; v++) {
      assertEquals(0, sizes[plan.windowAt(v)], "visit " + v + " skipped");
    }
  }

  @Test
  void givenACursor_thenResumingAnywhereGivesTheSameSteps() {
    long[] sizes = {37, 0, 91, 5, 64};
    WindowPlan plan = new WindowPlan(sizes.length, 32, 7, true);
    List<Batch> straight = new ArrayList<>();
    Cursor c = Cursor.START;
    for (int t = 0; t < 40; t++) {
      Batch b = plan.batch(c, w -> sizes[w]);
      straight.add(b);
      c = b.next();
    }
    for (int t : new int[] {1, 6, 7, 19, 33}) {
      WindowPlan resumed = new WindowPlan(sizes.length, 32, 7, true);
      Cursor r = straight.get(t - 1).next();
      for (int s = t; s < 40; s++) {
        Batch b = resumed.batch(r, w -> sizes[w]);
        assertArrayEquals(straight.get(s).windows(), b.windows(), "step " + s);
        assertTrue(Arrays.deepEquals(straight.get(s).rows(), b.rows()), "step " + s);
        r = b.next();
      }
    }
  }

  @Test
  void givenTheSameSeed_thenTheSameOrder_andAnotherSeedDiffers() {
    long[] sizes = {100, 100, 100, 100};
    Batch a = new WindowPlan(4, 50, 7, true).batch(Cursor.START, w -> sizes[w]);
    Batch b = new WindowPlan(4, 50, 7, true).batch(Cursor.START, w -> sizes[w]);
    assertTrue(Arrays.deepEquals(a.rows(), b.rows()));
    List<String> firstWindows = new ArrayList<>();
    for (long seed = 0; seed < 8; seed++) {
      firstWindows.add(new WindowPlan(4, 50, seed, true).windowAt(0) + "/"
          + Arrays.toString(new WindowPlan(4, 50, seed, true).batch(Cursor.START, w -> sizes[w])
              .rows()[0]));
    }
    assertEquals(8, firstWindows.stream().distinct().count(), firstWindows.toString());
  }

  @Test
  void givenNoShuffle_thenStoreOrder() {
    long[] sizes = {3, 2, 4};
    WindowPlan plan = new WindowPlan(3, 4, 1, false);
    Batch b0 = plan.batch(Cursor.START, w -> sizes[w]);
    assertArrayEquals(new int[] {0, 1}, b0.windows());
    assertArrayEquals(new long[] {0, 1, 2}, b0.rows()[0]);
    assertArrayEquals(new long[] {0}, b0.rows()[1]);
    assertEquals(new Cursor(1, 1), b0.next());
    Batch b1 = plan.batch(b0.next(), w -> sizes[w]);
    assertArrayEquals(new int[] {1, 2}, b1.windows());
    assertArrayEquals(new long[] {1}, b1.rows()[0]);
    assertArrayEquals(new long[] {0, 1, 2}, b1.rows()[1]);
  }

  @Test
  void givenEveryWindowEmpty_thenNoValidRow() {
    WindowPlan plan = new WindowPlan(5, 4, 1, true);
    assertThrows(WindowPlan.NoValidRowException.class, () -> plan.batch(Cursor.START, w -> 0));
    assertThrows(IllegalArgumentException.class, () -> plan.batch(new Cursor(0, 9), w -> 9));
  }

  /**
   * 10^10 rows in 10^4 windows of 10^6: the window order of an epoch is a permutation, a
   * sampled visit's rows form a bijection (rowAt inverts placeOf), and any step far into the
   * run is computed from its cursor alone.
   */
  @Test
  void givenTenBillionRows_thenPermutationsWithoutPerRowState() {
    int windows = 10_000;
    long perWindow = 1_000_000;
    WindowPlan plan = new WindowPlan(windows, 4096, 42, true);
    for (long epoch : new long[] {0, 1, 123_456_789}) {
      boolean[] seen = new boolean[windows];
      for (int i = 0; i < windows; i++) {
        int w = plan.windowAt(epoch * windows + i);
        assertTrue(!seen[w], "epoch " + epoch + " visits window " + w + " twice");
        seen[w] = true;
      }
    }
    // A step late in the run: epoch 3, visit 31_234; its rows are in range, sorted, and the same
    // when computed twice.
    long step = 75_000_000L;   // 3.07e11 rows in: epoch 30
    Cursor c = WindowPlan.cursorOfStep(step, 4096, perWindow);
    Batch b = plan.batch(c, w -> perWindow);
    Batch again = new WindowPlan(windows, 4096, 42, true).batch(c, w -> perWindow);
    assertTrue(Arrays.deepEquals(b.rows(), again.rows()));
    long n = 0;
    for (long[] rows : b.rows()) {
      n += rows.length;
      for (long r : rows) {
        assertTrue(r >= 0 && r < perWindow);
      }
    }
    assertEquals(4096, n);
    assertNotEquals(Cursor.START, b.next());
    // Within one visit: a sample of places maps to distinct rows and back.
    BatchPlan visitOrder = new BatchPlan(perWindow, 1, 99, true);
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      long place = random.nextLong(perWindow);
      assertEquals(place, visitOrder.placeOf(30, visitOrder.rowAt(30, place)));
    }
  }
}
