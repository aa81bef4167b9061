package org.gsae.spark.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which features the feature gallery shows and how it tags them. A feature is MONO when at least
 * {@value #MONO_PURITY} of its top-activating inputs share one label (the inputs are "about" one
 * class), POLY otherwise; the tag of gated-sae-tf's {@code plot_feature_gallery}.
 */
final class GalleryChoice {
  /** Share of the top inputs with the most common label needed for MONO. */
  static final double MONO_PURITY = 0.8;

  private GalleryChoice() {}

  /**
   * The label purity of a feature's top inputs.
   *
   * @param label  the most common label (the first seen among equally common ones)
   * @param purity its share of the labelled inputs, in (0, 1]; 0 when none is labelled
   * @param tag    MONO or POLY, or null when no input is labelled
   */
  record Purity(Object label, double purity, String tag) {}

  /** Up to {@code n} alive features, the most frequent first (ties by the smaller id). */
  static List<Integer> mostFrequentAlive(long[] fireCount, int n) {
    List<Integer> alive = new ArrayList<>();
    for (int j = 0; j < fireCount.length; j++) {
      if (fireCount[j] > 0) {
        alive.add(j);
      }
    }
    alive.sort(Comparator.<Integer>comparingLong(j -> -fireCount[j]).thenComparingInt(j -> j));
    return List.copyOf(alive.subList(0, Math.min(n, alive.size())));
  }

  static Purity purity(List<Object> labels) {
    Map<Object, Integer> counts = new LinkedHashMap<>();
    int labelled = 0;
    for (Object l : labels) {
      if (l != null) {
        counts.merge(l, 1, Integer::sum);
        labelled++;
      }
    }
    if (labelled == 0) {
      return new Purity(null, 0, null);
    }
    Object best = null;
    int bestCount = 0;
    for (Map.Entry<Object, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    double purity = (double) bestCount / labelled;
    return new Purity(Objects.requireNonNull(best), purity, purity >= MONO_PURITY ? "MONO" : "POLY");
  }
}
