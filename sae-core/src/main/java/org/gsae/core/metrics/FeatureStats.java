package org.gsae.core.metrics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mergeable per-feature firing statistics over feature activations [N, m] (docs/architecture.md
 * §7): for each feature j the fire count (rows with activation {@code > 0}), the sum and the
 * maximum of its activations, plus the row count N.
 *
 * <p>Entries {@code <= 0} (and NaN) are inactive and contribute to nothing; gated SAE
 * activations are never negative, so the sum equals the sum over all rows. A feature that never
 * fired is <em>dead</em>; its maximum and its mean active activation are reported as 0 (use
 * {@link #dead(int)} to tell it apart from a live feature).
 */
public final class FeatureStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "FeatureStats";
  /** Added before taking log10 so that dead features get -10 rather than -infinity (SAELens). */
  public static final double LOG_FREQUENCY_EPSILON = 1e-10;
  /** gated-sae-tf's default k for {@link #topKShare(int)}. */
  public static final int DEFAULT_TOPK_SHARE_K = 20;

  private final int dSae;
  private long rows;
  private final long[] fireCount;
  private final double[] activationSum;
  private final float[] maxActivation;

  /** Empty statistics for {@code dSae} (m) features. */
  public FeatureStats(int dSae) {
    Checks.positive(TYPE, "d_sae", dSae);
    this.dSae = dSae;
    this.fireCount = new long[dSae];
    this.activationSum = new double[dSae];
    this.maxActivation = new float[dSae];
  }

  /**
   * Adds a block of rows.
   *
   * @param featureActs feature activations [rows, m] row-major (first {@code rows * m} read)
   * @param rows        number of rows in the block
   * @return this
   */
  public FeatureStats add(float[] featureActs, int rows) {
    Checks.block(TYPE, "featureActs", featureActs.length, rows, dSae, "d_sae");
    for (int r = 0; r < rows; r++) {
      int off = r * dSae;
      for (int j = 0; j < dSae; j++) {
        float a = featureActs[off + j];
        if (a > 0) {
          fireCount[j]++;
          activationSum[j] += a;
          if (a > maxActivation[j]) {
            maxActivation[j] = a;
          }
        }
      }
    }
    this.rows += rows;
    return this;
  }

  /**
   * Adds another partial aggregate into this one (the other is not changed).
   *
   * @throws IllegalArgumentException when the two were built for different {@code d_sae}
   * @return this
   */
  public FeatureStats merge(FeatureStats other) {
    Checks.sameDim(TYPE, "d_sae", dSae, other.dSae);
    for (int j = 0; j < dSae; j++) {
      fireCount[j] += other.fireCount[j];
      activationSum[j] += other.activationSum[j];
      maxActivation[j] = Math.max(maxActivation[j], other.maxActivation[j]);
    }
    rows += other.rows;
    return this;
  }

  /** m = {@code d_sae}. */
  public int dSae() {
    return dSae;
  }

  /** N, the number of rows added. */
  public long rows() {
    return rows;
  }

  /** Rows where each feature fired [m] (a copy). */
  public long[] fireCounts() {
    return Arrays.copyOf(fireCount, dSae);
  }

  /** Sum of each feature's activations [m] (a copy). */
  public double[] activationSums() {
    return Arrays.copyOf(activationSum, dSae);
  }

  /** Largest activation of each feature [m] (a copy); 0 for a dead feature. */
  public float[] maxActivations() {
    return Arrays.copyOf(maxActivation, dSae);
  }

  /** Firing frequency {@code fireCount / N} [m]; NaN entries when N = 0. */
  public double[] frequencies() {
    double[] f = new double[dSae];
    for (int j = 0; j < dSae; j++) {
      f[j] = (double) fireCount[j] / rows;
    }
    return f;
  }

  /**
   * {@code log10(frequency + 1e-10)} [m], the {@code sparsity} tensor of
   * {@code sparsity.safetensors} (docs/architecture.md §3); -10 for a dead feature.
   */
  public double[] logFrequencies() {
    double[] f = frequencies();
    for (int j = 0; j < dSae; j++) {
      f[j] = Math.log10(f[j] + LOG_FREQUENCY_EPSILON);
    }
    return f;
  }

  /** Mean activation over the rows where each feature fired [m]; 0 for a dead feature. */
  public double[] meanActiveActivations() {
    double[] mean = new double[dSae];
    for (int j = 0; j < dSae; j++) {
      mean[j] = fireCount[j] == 0 ? 0 : activationSum[j] / fireCount[j];
    }
    return mean;
  }

  /** Whether feature {@code j} never fired on the rows added. */
  public boolean dead(int j) {
    return fireCount[j] == 0;
  }

  /** Number of features that never fired. */
  public int deadCount() {
    int dead = 0;
    for (long c : fireCount) {
      if (c == 0) {
        dead++;
      }
    }
    return dead;
  }

  /** Number of features that fired at least once: {@code m - deadCount()}. */
  public int aliveCount() {
    return dSae - deadCount();
  }

  /** {@code deadCount() / m}. */
  public double deadFeatureRatio() {
    return (double) deadCount() / dSae;
  }

  /** {@code aliveCount() / m}. */
  public double aliveFraction() {
    return (double) aliveCount() / dSae;
  }

  /**
   * The top-k activation share of gated-sae-tf's {@code sparsity_report}: the fraction of all
   * activation mass (summed over rows and features) carried by the {@code k} features with the
   * largest total activation. It measures how concentrated activation is in a few features
   * (1 when at most k features ever fire). {@code k} is clamped to m; 0 when nothing fired.
   *
   * @param k number of top features, at least 1 (gated-sae-tf's default is 20)
   */
  public double topKShare(int k) {
    Checks.positive(TYPE + ".topKShare", "k", k);
    double[] sorted = Arrays.copyOf(activationSum, dSae);
    Arrays.sort(sorted);
    int kk = Math.min(k, dSae);
    // Sum from the largest down, as gated-sae-tf's cumulative sum over descending values does.
    double total = 0;
    double top = 0;
    for (int i = dSae - 1, rank = 0; i >= 0; i--, rank++) {
      total += sorted[i];
      if (rank < kk) {
        top += sorted[i];
      }
    }
    return total > 0 ? top / total : 0.0;
  }

  @Override
  public String toString() {
    return TYPE + "(d_sae=" + dSae + ", rows=" + rows + ", dead=" + deadCount() + ")";
  }
}
