package org.gsae.core.metrics;

import java.io.Serializable;
import java.util.Arrays;
import org.gsae.core.error.Errors;

/**
 * Mergeable per-feature histograms of active activations on a fixed logarithmic grid
 * (docs/architecture.md §7): {@value #BINS} bins of 1/{@value #BINS_PER_DECADE} decade from
 * {@code 10^}{@value #LOG10_LOW} to {@code 10^}{@value #LOG10_HIGH}; an activation below the
 * grid counts in bin 0, one above it in the last bin. Entries {@code <= 0} (and NaN) are
 * inactive and are not counted, as in {@link FeatureStats}.
 *
 * <p>The grid is fixed before the pass (so partial histograms add) and the bin of a value is
 * found by comparing it with float edges computed once with {@link StrictMath}, so every
 * machine puts every value in the same bin. Memory: {@code 8 * BINS * d_sae} bytes.
 */
public final class ActivationHistograms implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "ActivationHistograms";

  /** log10 of the lower edge of bin 0. */
  public static final int LOG10_LOW = -4;
  /** log10 of the upper edge of the last bin. */
  public static final int LOG10_HIGH = 4;
  /** Bins per factor of ten. */
  public static final int BINS_PER_DECADE = 8;
  /** Number of bins. */
  public static final int BINS = (LOG10_HIGH - LOG10_LOW) * BINS_PER_DECADE;

  private static final float[] EDGES = edges();

  private final int dSae;
  /** Counts of feature j occupy {@code [j BINS, (j + 1) BINS)}. */
  private final long[] counts;

  /** Empty histograms for {@code dSae} (m) features. */
  public ActivationHistograms(int dSae) {
    Checks.positive(TYPE, "d_sae", dSae);
    this.dSae = dSae;
    this.counts = new long[Checks.cells(TYPE, dSae, BINS)];
  }

  /** The {@code BINS + 1} bin edges {@code 10^(LOG10_LOW + b / BINS_PER_DECADE)}, as floats. */
  public static float[] binEdges() {
    return EDGES.clone();
  }

  private static float[] edges() {
    float[] e = new float[BINS + 1];
    for (int b = 0; b <= BINS; b++) {
      e[b] = (float) StrictMath.pow(10, LOG10_LOW + (double) b / BINS_PER_DECADE);
    }
    return e;
  }

  /**
   * The bin of an active value {@code a > 0}: the b with {@code EDGES[b] <= a < EDGES[b + 1]},
   * clamped to {@code [0, BINS - 1]}.
   */
  public static int bin(float a) {
    int lo = 0;
    int hi = BINS - 1;
    // Largest b in [0, BINS-1] with EDGES[b] <= a (0 when a is below the grid).
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (EDGES[mid] <= a) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * Adds a block of rows.
   *
   * @param featureActs feature activations [rows, m] row-major
   * @param rows        number of rows in the block
   * @return this
   */
  public ActivationHistograms add(float[] featureActs, int rows) {
    Checks.block(TYPE, "featureActs", featureActs.length, rows, dSae, "d_sae");
    for (int r = 0; r < rows; r++) {
      int off = r * dSae;
      for (int j = 0; j < dSae; j++) {
        float a = featureActs[off + j];
        if (a > 0) {
          counts[j * BINS + bin(a)]++;
        }
      }
    }
    return this;
  }

  /** Counts one active value of {@code feature} in {@code bin} (= {@link #bin} of it). */
  void count(int feature, int bin) {
    counts[feature * BINS + bin]++;
  }

  /**
   * Adds another partial aggregate into this one (the other is not changed).
   *
   * @return this
   */
  public ActivationHistograms merge(ActivationHistograms other) {
    Checks.sameDim(TYPE, "d_sae", dSae, other.dSae);
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    return this;
  }

  /** m = {@code d_sae}. */
  public int dSae() {
    return dSae;
  }

  /** The histogram of feature {@code j} [BINS] (a copy); all zero for a dead feature. */
  public long[] histogram(int feature) {
    Errors.check(feature >= 0 && feature < dSae,
        "feature index %d is out of range 0..%d (d_sae=%d)", feature, dSae - 1, dSae);
    return Arrays.copyOfRange(counts, feature * BINS, (feature + 1) * BINS);
  }

  @Override
  public String toString() {
    return TYPE + "(d_sae=" + dSae + ", bins=" + BINS + ")";
  }
}
