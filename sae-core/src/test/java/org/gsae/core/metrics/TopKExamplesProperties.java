package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.gsae.core.metrics.TopKExamples.Example;

class TopKExamplesProperties {
  /** Few distinct levels, so that ties are common. */
  private static final float[] LEVELS = {0.5f, 1f, 1f, 2f, 3f};

  @Property(tries = 300)
  void anyBlockingAndMergeTreeGivesTheBruteForceTopK(
      @ForAll @IntRange(min = 0, max = 40) int rows, @ForAll @IntRange(min = 1, max = 6) int m,
      @ForAll @IntRange(min = 1, max = 6) int k, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] acts = rnd.nextBoolean()
        ? Partitions.activations(rows, m, rnd.nextDouble(), LEVELS, rnd)
        : Partitions.activations(rows, m, rnd.nextDouble(), rnd);
    // Distinct row ids in an order unrelated to the row position (some negative).
    List<Long> idList = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      idList.add(7L * r - 50);
    }
    Collections.shuffle(idList, rnd);
    long[] ids = idList.stream().mapToLong(Long::longValue).toArray();

    TopKExamples whole = new TopKExamples(m, k).add(acts, ids, rows);

    int[] cuts = Partitions.cuts(rows, rnd);
    List<TopKExamples> parts = new ArrayList<>();
    List<Integer> blockOrder = new ArrayList<>();
    for (int b = 0; b + 1 < cuts.length; b++) {
      parts.add(new TopKExamples(m, k).add(Partitions.rows(acts, m, cuts[b], cuts[b + 1]),
          Arrays.copyOfRange(ids, cuts[b], cuts[b + 1]), cuts[b + 1] - cuts[b]));
      blockOrder.add(b);
    }
    TopKExamples merged = Partitions.mergeRandomTree(parts, TopKExamples::merge, rnd);

    // Blocks added one after another into one instance, in a shuffled block order.
    Collections.shuffle(blockOrder, rnd);
    TopKExamples sequential = new TopKExamples(m, k);
    for (int b : blockOrder) {
      sequential.add(Partitions.rows(acts, m, cuts[b], cuts[b + 1]),
          Arrays.copyOfRange(ids, cuts[b], cuts[b + 1]), cuts[b + 1] - cuts[b]);
    }

    Comparator<Example> strongestFirst = Comparator.comparing(Example::activation).reversed()
        .thenComparingLong(Example::rowId);
    for (int j = 0; j < m; j++) {
      List<Example> all = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        if (acts[r * m + j] > 0) {
          all.add(new Example(ids[r], acts[r * m + j]));
        }
      }
      all.sort(strongestFirst);
      List<Example> expected = all.subList(0, Math.min(k, all.size()));
      assertEquals(expected, whole.examples(j), "feature " + j + " one instance");
      assertEquals(expected, merged.examples(j), "feature " + j + " merged");
      assertEquals(expected, sequential.examples(j), "feature " + j + " shuffled blocks");
    }
  }
}
