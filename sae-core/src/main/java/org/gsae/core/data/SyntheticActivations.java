package org.gsae.core.data;

import java.util.SplittableRandom;

/**
 * Synthetic activations with known ground truth, for tests and the demo: a dictionary of
 * {@code features} random unit vectors in {@code dIn} dimensions; each row activates each
 * feature independently with probability {@code expectedL0 / features}, with a magnitude drawn
 * uniformly from [0.5, 1.5]; plus isotropic Gaussian noise of standard deviation {@code noise}.
 * The row is {@code codes @ dictionary + noise}. Everything is seeded.
 *
 * @param dictionary true features [features, dIn], unit rows
 * @param codes      true sparse codes [rows, features]
 * @param data       the activations [rows, dIn]
 */
public record SyntheticActivations(float[] dictionary, float[] codes, ActivationDataset data,
    int features) {

  /**
   * @param rows       N
   * @param dIn        n
   * @param features   number of true features
   * @param expectedL0 mean active true features per row
   * @param noise      noise standard deviation per coordinate
   * @param seed       seed of everything
   */
  public static SyntheticActivations generate(int rows, int dIn, int features, double expectedL0,
      double noise, long seed) {
    if (rows < 1 || dIn < 1 || features < 1 || !(expectedL0 > 0) || expectedL0 > features || noise < 0) {
      throw new IllegalArgumentException(String.format("bad synthetic spec: rows=%d dIn=%d features=%d "
          + "expectedL0=%s noise=%s", rows, dIn, features, expectedL0, noise));
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] dict = new float[features * dIn];
    for (int k = 0; k < features; k++) {
      double norm2 = 0;
      for (int i = 0; i < dIn; i++) {
        double v = gaussian(rng);
        dict[k * dIn + i] = (float) v;
        norm2 += v * v;
      }
      double inv = 1 / Math.sqrt(norm2);
      for (int i = 0; i < dIn; i++) {
        dict[k * dIn + i] *= (float) inv;
      }
    }
    double p = expectedL0 / features;
    float[] codes = new float[rows * features];
    float[] x = new float[rows * dIn];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < features; k++) {
        if (rng.nextDouble() < p) {
          float c = (float) (0.5 + rng.nextDouble());
          codes[r * features + k] = c;
          for (int i = 0; i < dIn; i++) {
            x[r * dIn + i] += c * dict[k * dIn + i];
          }
        }
      }
      for (int i = 0; i < dIn; i++) {
        x[r * dIn + i] += (float) (noise * gaussian(rng));
      }
    }
    return new SyntheticActivations(dict, codes, new ActivationDataset(x, dIn), features);
  }

  /** Mean number of non-zero true codes per row. */
  public double trueL0() {
    long nz = 0;
    for (float c : codes) {
      if (c != 0) {
        nz++;
      }
    }
    return (double) nz / data.rows();
  }

  /**
   * Mean max cosine similarity (MMCS): for each true feature, the best cosine similarity with
   * any learned decoder row, averaged over the true features.
   *
   * @param wDec learned decoder [m, dIn] row-major
   */
  public double mmcs(float[] wDec) {
    int n = data.dIn();
    int m = wDec.length / n;
    double sum = 0;
    for (int k = 0; k < features; k++) {
      double best = -1;
      for (int j = 0; j < m; j++) {
        double dot = 0;
        double nn = 0;
        for (int i = 0; i < n; i++) {
          dot += dictionary[k * n + i] * wDec[j * n + i];
          nn += wDec[j * n + i] * wDec[j * n + i];
        }
        if (nn > 0) {
          best = Math.max(best, dot / Math.sqrt(nn));
        }
      }
      sum += best;
    }
    return sum / features;
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = Math.max(rng.nextDouble(), Double.MIN_NORMAL);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
