package org.gsae.core.metrics;

import java.io.Serializable;
import java.util.Arrays;
import org.gsae.core.error.Errors;

/**
 * Mergeable histogram of L0, the number of active features per row (activation {@code > 0}),
 * over rows of feature activations [N, m]. Counts are exact integers, so the mean and the median
 * are exact functions of the data whatever the blocking.
 *
 * <p>The median follows NumPy's {@code np.median} (as gated-sae-tf's {@code sparsity_report}
 * uses): for an even N it is the average of the two middle values, so it can be a half-integer.
 */
public final class L0Histogram implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "L0Histogram";

  private final int dSae;
  /** {@code counts[l]} = number of rows with L0 = l, for l in 0..m [m + 1]. */
  private final long[] counts;

  /** An empty histogram for {@code dSae} (m) features. */
  public L0Histogram(int dSae) {
    Checks.positive(TYPE, "d_sae", dSae);
    this.dSae = dSae;
    this.counts = new long[dSae + 1];
  }

  /**
   * Counts the active features of each row in a block.
   *
   * @param featureActs feature activations [rows, m] row-major (first {@code rows * m} read)
   * @param rows        number of rows in the block
   * @return this
   */
  public L0Histogram add(float[] featureActs, int rows) {
    Checks.block(TYPE, "featureActs", featureActs.length, rows, dSae, "d_sae");
    for (int r = 0; r < rows; r++) {
      int off = r * dSae;
      int l0 = 0;
      for (int j = 0; j < dSae; j++) {
        if (featureActs[off + j] > 0) {
          l0++;
        }
      }
      counts[l0]++;
    }
    return this;
  }

  /**
   * Adds rows whose L0 is already known (for example from a sparse encoding).
   *
   * @param l0PerRow L0 of each row [rows], each in 0..m
   * @param rows     number of rows
   * @return this
   */
  public L0Histogram addL0(int[] l0PerRow, int rows) {
    Checks.block(TYPE, "l0PerRow", l0PerRow.length, rows, 1, "width");
    for (int r = 0; r < rows; r++) {
      int l0 = l0PerRow[r];
      Errors.check(l0 >= 0 && l0 <= dSae, "%s.addL0: row %d has L0=%d, expected 0..d_sae=%d",
          TYPE, r, l0, dSae);
    }
    for (int r = 0; r < rows; r++) {
      counts[l0PerRow[r]]++;
    }
    return this;
  }

  /**
   * Adds another partial histogram into this one (the other is not changed).
   *
   * @throws IllegalArgumentException when the two were built for different {@code d_sae}
   * @return this
   */
  public L0Histogram merge(L0Histogram other) {
    Checks.sameDim(TYPE, "d_sae", dSae, other.dSae);
    for (int l = 0; l <= dSae; l++) {
      counts[l] += other.counts[l];
    }
    return this;
  }

  /** m = {@code d_sae}. */
  public int dSae() {
    return dSae;
  }

  /** N, the number of rows counted. */
  public long rows() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /** A copy of the histogram [m + 1]: entry l is the number of rows with L0 = l. */
  public long[] histogram() {
    return Arrays.copyOf(counts, counts.length);
  }

  /** Mean L0 over all rows, from exact integer sums; NaN when no rows were counted. */
  public double mean() {
    long n = 0;
    long total = 0;
    for (int l = 0; l <= dSae; l++) {
      n += counts[l];
      total += l * counts[l];
    }
    return (double) total / n;
  }

  /**
   * Median L0 with NumPy semantics: the middle value for odd N, the average of the two middle
   * values for even N; NaN when no rows were counted.
   */
  public double median() {
    long n = rows();
    if (n == 0) {
      return Double.NaN;
    }
    return (orderStatistic((n - 1) / 2) + orderStatistic(n / 2)) / 2.0;
  }

  /** The L0 value at 0-based position {@code rank} of the sorted rows. */
  private int orderStatistic(long rank) {
    long seen = 0;
    for (int l = 0; l <= dSae; l++) {
      seen += counts[l];
      if (seen > rank) {
        return l;
      }
    }
    throw new IllegalStateException("rank " + rank + " is beyond " + seen + " rows");
  }

  @Override
  public String toString() {
    return TYPE + "(d_sae=" + dSae + ", rows=" + rows() + ", mean=" + mean() + ", median="
        + median() + ")";
  }
}
