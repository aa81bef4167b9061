package org.gsae.core.model;

import java.util.SplittableRandom;
import org.gsae.core.tensor.Tensor;

/**
 * Seeded initialisation (docs/architecture.md §2): decoder rows are random unit vectors (isotropic
 * Gaussian directions), {@code W_enc = W_dec^T}, {@code b_gate = r_mag = b_mag = 0}, and
 * {@code b_dec} is the mean of a data sample when one is given (else 0). Uses its own
 * {@link SplittableRandom}, never a global RNG, so the same seed gives the same model on
 * every machine.
 */
public final class SaeInit {
  private SaeInit() {}

  /**
   * @param dIn      n
   * @param dSae     m
   * @param seed     seed of the decoder directions
   * @param dataMean {@code b_dec} [n] (for example the mean of a sample of the store), or null for 0
   * @return float32 parameters
   */
  public static SaeParameters initialize(int dIn, int dSae, long seed, float[] dataMean) {
    if (dIn < 1 || dSae < 1) {
      throw new IllegalArgumentException("d_in and d_sae must be >= 1, got d_in=" + dIn + ", d_sae=" + dSae);
    }
    if (dataMean != null && dataMean.length != dIn) {
      throw new IllegalArgumentException("data mean has " + dataMean.length + " values, d_in is " + dIn);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] wDec = new float[dSae * dIn];
    for (int j = 0; j < dSae; j++) {
      double norm2;
      do {
        norm2 = 0;
        for (int i = 0; i < dIn; i++) {
          double v = gaussian(rng);
          wDec[j * dIn + i] = (float) v;
          norm2 += v * v;
        }
      } while (norm2 == 0);
      double inv = 1.0 / Math.sqrt(norm2);
      for (int i = 0; i < dIn; i++) {
        wDec[j * dIn + i] = (float) (wDec[j * dIn + i] * inv);
      }
    }
    float[] wEnc = new float[dIn * dSae];
    for (int j = 0; j < dSae; j++) {
      for (int i = 0; i < dIn; i++) {
        wEnc[i * dSae + j] = wDec[j * dIn + i];
      }
    }
    float[] bDec = dataMean == null ? new float[dIn] : dataMean.clone();
    return new SaeParameters(Tensor.of(wEnc, dIn, dSae), Tensor.of(new float[dSae], dSae),
        Tensor.of(new float[dSae], dSae), Tensor.of(new float[dSae], dSae),
        Tensor.of(wDec, dSae, dIn), Tensor.of(bDec, dIn));
  }

  /** Standard normal via Box-Muller (SplittableRandom has no nextGaussian in Java 17). */
  static double gaussian(SplittableRandom rng) {
    double u1;
    do {
      u1 = rng.nextDouble();
    } while (u1 <= Double.MIN_NORMAL);
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
