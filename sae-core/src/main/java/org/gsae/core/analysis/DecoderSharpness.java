package org.gsae.core.analysis;

import java.util.Arrays;
import org.gsae.core.error.Errors;

/**
 * Per-feature excess kurtosis of the decoder directions (gated-sae-tf's
 * {@code decoder_sharpness}): a high value means a decoder row puts its weight on a few input
 * dimensions. For row {@code W_dec[j]} with entries w_1..w_n and mean w̄, using population
 * moments {@code m_p = (1/n) sum_i (w_i - w̄)^p}, the Fisher (excess) kurtosis is
 * {@code m4 / m2^2 - 3}, as {@code scipy.stats.kurtosis(fisher=True, bias=True)} computes it. A
 * constant row ({@code m2 = 0}) has no defined kurtosis and gets 0, as in gated-sae-tf.
 *
 * @param perFeature kurtosis of each decoder row [m]
 * @param mean       mean of {@code perFeature} over all m features
 */
public record DecoderSharpness(double[] perFeature, double mean) {

  /** Copies {@code perFeature} so the record stays immutable. */
  public DecoderSharpness {
    perFeature = perFeature.clone();
  }

  /** Kurtosis of each decoder row [m] (a copy). */
  @Override
  public double[] perFeature() {
    return perFeature.clone();
  }

  /**
   * Computes the sharpness of a decoder matrix, in double precision.
   *
   * @param wDec W_dec [m, n] row-major, one row per feature
   * @param dSae m
   * @param dIn  n
   */
  public static DecoderSharpness of(float[] wDec, int dSae, int dIn) {
    Errors.check(dSae >= 1 && dIn >= 1, "need d_sae >= 1 and d_in >= 1, got d_sae=%d, d_in=%d",
        dSae, dIn);
    Errors.check(wDec.length == (long) dSae * dIn,
        "W_dec has %d values but d_sae=%d x d_in=%d need %d", wDec.length, dSae, dIn,
        (long) dSae * dIn);
    double[] kurtosis = new double[dSae];
    double total = 0;
    for (int j = 0; j < dSae; j++) {
      kurtosis[j] = excessKurtosis(wDec, j * dIn, dIn);
      total += kurtosis[j];
    }
    return new DecoderSharpness(kurtosis, total / dSae);
  }

  /** Fisher excess kurtosis of {@code v[off, off + n)} with population moments; 0 if constant. */
  static double excessKurtosis(float[] v, int off, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += v[off + i];
    }
    double mean = sum / n;
    double m2 = 0;
    double m4 = 0;
    for (int i = 0; i < n; i++) {
      double z = v[off + i] - mean;
      double z2 = z * z;
      m2 += z2;
      m4 += z2 * z2;
    }
    m2 /= n;
    m4 /= n;
    return m2 > 0 ? m4 / (m2 * m2) - 3.0 : 0.0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecoderSharpness d && Arrays.equals(perFeature, d.perFeature)
        && Double.compare(mean, d.mean) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(perFeature) + Double.hashCode(mean);
  }

  @Override
  public String toString() {
    return "DecoderSharpness(mean=" + mean + ", features=" + perFeature.length + ")";
  }
}
