package org.gsae.core.metrics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mergeable sums for reconstruction quality over rows {@code x} [N, n] and their
 * reconstructions {@code x_hat} [N, n] (docs/architecture.md §7).
 *
 * <p>Conventions (N rows, n = {@code d_in}):
 * <ul>
 *   <li>{@link #mse()} = {@code sum_rows ||x - x_hat||^2 / N}: per row the squared error summed
 *       over the n dimensions, averaged over rows. This is the architecture doc's {@code L_rec =
 * mean_b sum_i}.
 *       {@link #msePerElement()} additionally divides by n.
 *   <li>{@link #fvu()} = {@code sum ||x - x_hat||^2 / sum ||x - mean(x)||^2}, numerator and
 *       denominator each summed over the whole data set, never averaged per block.
 *   <li>{@link #explainedVariance()} = {@code 1 - fvu}.
 *   <li>{@link #relativeReconstructionBias()} gamma = {@code E||x_hat||^2 / E[x . x_hat]}
 *       (Rajamanoharan et al. 2024); below 1 means shrinkage.
 *   <li>{@link #meanCosineSimilarity()}: mean over rows of {@code cos(x, x_hat)}; rows where
 *       {@code x} or {@code x_hat} is the zero vector have no direction and are skipped (counted
 *       by {@link #cosineSkippedRows()}).
 * </ul>
 *
 * <p>The FVU denominator is not taken as {@code sum||x||^2 - N ||mean||^2}, which cancels
 * catastrophically when the mean is large against the spread (typical of residual-stream
 * activations). Instead each block contributes its own per-dimension mean and sum of squared
 * deviations (two passes over the block), and blocks are combined with Chan et al.'s exact
 * pairwise formula {@code M2 = M2_a + M2_b + delta^2 n_a n_b / (n_a + n_b)}. Ratios with a zero
 * denominator are NaN (no rows, constant data, or {@code E[x . x_hat] = 0}).
 */
public final class ReconstructionMetrics implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "ReconstructionMetrics";

  private final int dIn;
  private long rows;
  private double sumSquaredError;
  private double sumSquaredNorm;
  private double sumReconstructionSquaredNorm;
  private double sumDot;
  /** Running per-dimension mean of x [n]. */
  private final double[] mean;
  /** Per-dimension sum of squared deviations of x about {@link #mean} [n]. */
  private final double[] m2;
  private double sumCosine;
  private long cosineRows;

  /** An empty aggregate for rows of width {@code dIn} (n). */
  public ReconstructionMetrics(int dIn) {
    Checks.positive(TYPE, "d_in", dIn);
    this.dIn = dIn;
    this.mean = new double[dIn];
    this.m2 = new double[dIn];
  }

  /**
   * Adds a block of rows.
   *
   * @param x    inputs [rows, n] row-major (only the first {@code rows * n} values are read)
   * @param xHat reconstructions [rows, n] row-major
   * @param rows number of rows in the block
   * @return this
   */
  public ReconstructionMetrics add(float[] x, float[] xHat, int rows) {
    Checks.block(TYPE, "x", x.length, rows, dIn, "d_in");
    Checks.block(TYPE, "xHat", xHat.length, rows, dIn, "d_in");
    if (rows == 0) {
      return this;
    }
    double[] blockMean = new double[dIn];
    for (int r = 0; r < rows; r++) {
      int off = r * dIn;
      for (int i = 0; i < dIn; i++) {
        blockMean[i] += x[off + i];
      }
    }
    for (int i = 0; i < dIn; i++) {
      blockMean[i] /= rows;
    }
    double[] blockM2 = new double[dIn];
    for (int r = 0; r < rows; r++) {
      int off = r * dIn;
      double err = 0;
      double xx = 0;
      double hh = 0;
      double xh = 0;
      for (int i = 0; i < dIn; i++) {
        double xi = x[off + i];
        double hi = xHat[off + i];
        double d = xi - hi;
        err += d * d;
        xx += xi * xi;
        hh += hi * hi;
        xh += xi * hi;
        double dev = xi - blockMean[i];
        blockM2[i] += dev * dev;
      }
      sumSquaredError += err;
      sumSquaredNorm += xx;
      sumReconstructionSquaredNorm += hh;
      sumDot += xh;
      if (xx > 0 && hh > 0) {
        sumCosine += xh / (Math.sqrt(xx) * Math.sqrt(hh));
        cosineRows++;
      }
    }
    combineMoments(rows, blockMean, blockM2);
    this.rows += rows;
    return this;
  }

  /**
   * Adds another partial aggregate into this one (the other is not changed).
   *
   * @throws IllegalArgumentException when the two were built for different {@code d_in}
   * @return this
   */
  public ReconstructionMetrics merge(ReconstructionMetrics other) {
    Checks.sameDim(TYPE, "d_in", dIn, other.dIn);
    long otherRows = other.rows;
    if (otherRows == 0) {
      return this;
    }
    combineMoments(otherRows, other.mean, other.m2);
    rows += otherRows;
    sumSquaredError += other.sumSquaredError;
    sumSquaredNorm += other.sumSquaredNorm;
    sumReconstructionSquaredNorm += other.sumReconstructionSquaredNorm;
    sumDot += other.sumDot;
    sumCosine += other.sumCosine;
    cosineRows += other.cosineRows;
    return this;
  }

  /** Chan et al.'s pairwise update; must run before {@code rows} is increased. */
  private void combineMoments(long nB, double[] meanB, double[] m2B) {
    long nA = rows;
    double n = (double) nA + nB;
    double weight = (double) nA * nB / n;
    for (int i = 0; i < dIn; i++) {
      double delta = meanB[i] - mean[i];
      m2[i] = m2[i] + m2B[i] + delta * delta * weight;
      mean[i] += delta * (nB / n);
    }
  }

  /** n = {@code d_in}. */
  public int dIn() {
    return dIn;
  }

  /** N, the number of rows added. */
  public long rows() {
    return rows;
  }

  /** {@code sum_rows ||x - x_hat||^2}. */
  public double sumSquaredError() {
    return sumSquaredError;
  }

  /** {@code sum_rows ||x||^2}. */
  public double sumSquaredNorm() {
    return sumSquaredNorm;
  }

  /** {@code sum_rows ||x_hat||^2}. */
  public double sumReconstructionSquaredNorm() {
    return sumReconstructionSquaredNorm;
  }

  /** {@code sum_rows x . x_hat}. */
  public double sumDot() {
    return sumDot;
  }

  /** The FVU denominator {@code sum_rows ||x - mean(x)||^2}. */
  public double sumSquaredDeviation() {
    double s = 0;
    for (double v : m2) {
      s += v;
    }
    return s;
  }

  /** Per-dimension mean of x [n] (a copy); zeros when no rows were added. */
  public double[] mean() {
    return Arrays.copyOf(mean, dIn);
  }

  /** {@code sum ||x - x_hat||^2 / N} (L_rec of docs/architecture.md §2); NaN when N = 0. */
  public double mse() {
    return sumSquaredError / rows;
  }

  /** {@code sum ||x - x_hat||^2 / (N n)}, the mean over all N n entries; NaN when N = 0. */
  public double msePerElement() {
    return sumSquaredError / ((double) rows * dIn);
  }

  /** Fraction of variance unexplained, from global sums; NaN when the denominator is 0. */
  public double fvu() {
    double denominator = sumSquaredDeviation();
    return denominator == 0 ? Double.NaN : sumSquaredError / denominator;
  }

  /** {@code 1 - fvu()}. */
  public double explainedVariance() {
    return 1 - fvu();
  }

  /** gamma = {@code sum ||x_hat||^2 / sum x . x_hat}; NaN when the denominator is 0. */
  public double relativeReconstructionBias() {
    return sumDot == 0 ? Double.NaN : sumReconstructionSquaredNorm / sumDot;
  }

  /** Mean of {@code cos(x, x_hat)} over rows where both are non-zero; NaN when there are none. */
  public double meanCosineSimilarity() {
    return cosineRows == 0 ? Double.NaN : sumCosine / cosineRows;
  }

  /** Rows left out of the cosine mean because {@code x} or {@code x_hat} was the zero vector. */
  public long cosineSkippedRows() {
    return rows - cosineRows;
  }

  /** A snapshot of all results. */
  public ReconstructionResult result() {
    return new ReconstructionResult(rows, mse(), msePerElement(), fvu(), explainedVariance(),
        relativeReconstructionBias(), meanCosineSimilarity(), cosineSkippedRows());
  }

  @Override
  public String toString() {
    return TYPE + "(d_in=" + dIn + ", " + result() + ")";
  }
}
