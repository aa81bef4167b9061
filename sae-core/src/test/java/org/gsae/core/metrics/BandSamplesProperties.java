package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BandSamplesProperties {

  /** SplitMix64 from state 0 gives 0xE220A8397B1DCDAF first (Vigna's reference sequence). */
  @Example
  void hashIsSplitMix64sFinalizer() {
    assertEquals(0xE220A8397B1DCDAFL, BandSamples.hash(0));
  }

  @Property(tries = 300)
  void anyBlockingAndMergeTreeGivesTheBruteForceSample(
      @ForAll @IntRange(min = 0, max = 60) int rows, @ForAll @IntRange(min = 1, max = 5) int m,
      @ForAll @IntRange(min = 1, max = 4) int k, @ForAll long seed) {
    Random rnd = new Random(seed);
    // Activations spread over several bands (log-uniform over 10^-5 .. 10^5), some inactive.
    float[] acts = new float[rows * m];
    for (int i = 0; i < acts.length; i++) {
      acts[i] = rnd.nextInt(3) == 0 ? 0f : (float) Math.pow(10, -5 + 10 * rnd.nextDouble());
    }
    List<Long> idList = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      idList.add(13L * r - 40);
    }
    Collections.shuffle(idList, rnd);
    long[] ids = idList.stream().mapToLong(Long::longValue).toArray();

    int[] cuts = Partitions.cuts(rows, rnd);
    List<BandSamples> parts = new ArrayList<>();
    for (int b = 0; b + 1 < cuts.length; b++) {
      parts.add(new BandSamples(m, k).add(Partitions.rows(acts, m, cuts[b], cuts[b + 1]),
          Arrays.copyOfRange(ids, cuts[b], cuts[b + 1]), cuts[b + 1] - cuts[b]));
    }
    BandSamples merged = Partitions.mergeRandomTree(parts, BandSamples::merge, rnd);

    Comparator<BandSamples.Example> order = (x, y) -> {
      int c = Long.compareUnsigned(BandSamples.hash(x.rowId()), BandSamples.hash(y.rowId()));
      return c != 0 ? c : Long.compare(x.rowId(), y.rowId());
    };
    for (int j = 0; j < m; j++) {
      for (int band = 0; band < BandSamples.BANDS; band++) {
        // Band membership from the decade arithmetic, independently of bin(): band b holds
        // [10^(-4 + b/4), 10^(-4 + (b+1)/4)), the edge bands also what lies beyond the grid.
        List<BandSamples.Example> all = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
          float a = acts[r * m + j];
          if (a > 0 && expectedBand(a) == band) {
            all.add(new BandSamples.Example(ids[r], a));
          }
        }
        all.sort(order);
        assertEquals(all.subList(0, Math.min(k, all.size())), merged.examples(j, band),
            "feature " + j + " band " + band);
      }
    }
  }

  private static int expectedBand(float a) {
    double b = Math.floor((Math.log10(a) + 4) * 4);
    return (int) Math.max(0, Math.min(BandSamples.BANDS - 1, b));
  }
}
