package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class L0HistogramProperties {

  @Property(tries = 300)
  void mergingRandomBlocksInARandomTreeEqualsOneInstanceExactly(
      @ForAll @IntRange(min = 0, max = 50) int rows, @ForAll @IntRange(min = 1, max = 8) int m,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] acts = Partitions.activations(rows, m, rnd.nextDouble(), rnd);
    L0Histogram whole = new L0Histogram(m).add(acts, rows);

    int[] cuts = Partitions.cuts(rows, rnd);
    List<L0Histogram> parts = new ArrayList<>();
    for (int b = 0; b + 1 < cuts.length; b++) {
      parts.add(new L0Histogram(m).add(Partitions.rows(acts, m, cuts[b], cuts[b + 1]),
          cuts[b + 1] - cuts[b]));
    }
    L0Histogram merged = Partitions.mergeRandomTree(parts, L0Histogram::merge, rnd);

    assertArrayEquals(whole.histogram(), merged.histogram());
    assertEquals(whole.mean(), merged.mean());
    assertEquals(whole.median(), merged.median());

    // Independent: sort the per-row L0 values and take numpy's median.
    int[] l0 = new int[rows];
    long total = 0;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < m; j++) {
        if (acts[r * m + j] > 0) {
          l0[r]++;
        }
      }
      total += l0[r];
    }
    Arrays.sort(l0);
    double median = rows == 0 ? Double.NaN : (l0[(rows - 1) / 2] + l0[rows / 2]) / 2.0;
    assertEquals(median, merged.median());
    assertEquals((double) total / rows, merged.mean());
    assertArrayEquals(whole.histogram(), new L0Histogram(m).addL0(l0, rows).histogram());
  }
}
