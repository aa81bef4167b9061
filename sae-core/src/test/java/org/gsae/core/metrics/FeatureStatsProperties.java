package org.gsae.core.metrics;

import static org.gsae.core.metrics.Partitions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class FeatureStatsProperties {

  @Property(tries = 300)
  void mergingRandomBlocksInARandomTreeEqualsOneInstance(
      @ForAll @IntRange(min = 0, max = 50) int rows, @ForAll @IntRange(min = 1, max = 8) int m,
      @ForAll @IntRange(min = 1, max = 10) int k, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] acts = Partitions.activations(rows, m, 0.2 + 0.8 * rnd.nextDouble(), rnd);
    FeatureStats whole = new FeatureStats(m).add(acts, rows);

    int[] cuts = Partitions.cuts(rows, rnd);
    List<FeatureStats> parts = new ArrayList<>();
    for (int b = 0; b + 1 < cuts.length; b++) {
      parts.add(new FeatureStats(m).add(Partitions.rows(acts, m, cuts[b], cuts[b + 1]),
          cuts[b + 1] - cuts[b]));
    }
    FeatureStats merged = Partitions.mergeRandomTree(parts, FeatureStats::merge, rnd);

    assertEquals(whole.rows(), merged.rows());
    assertArrayEquals(whole.fireCounts(), merged.fireCounts());
    assertArrayEquals(whole.maxActivations(), merged.maxActivations());
    assertEquals(whole.deadCount(), merged.deadCount());
    double[] ws = whole.activationSums();
    double[] ms = merged.activationSums();
    double[] wm = whole.meanActiveActivations();
    double[] mm = merged.meanActiveActivations();
    for (int j = 0; j < m; j++) {
      assertClose(ws[j], ms[j], "sum[" + j + "]");
      assertClose(wm[j], mm[j], "mean active[" + j + "]");
    }
    assertClose(whole.topKShare(k), merged.topKShare(k), "top-k share");

    // Independent column-wise computation.
    for (int j = 0; j < m; j++) {
      long count = 0;
      double sum = 0;
      float max = 0;
      for (int r = 0; r < rows; r++) {
        float a = acts[r * m + j];
        if (a > 0) {
          count++;
          sum += a;
          max = Math.max(max, a);
        }
      }
      assertEquals(count, merged.fireCounts()[j]);
      assertEquals(max, merged.maxActivations()[j]);
      assertClose(sum, ms[j], "direct sum[" + j + "]");
    }
  }
}
