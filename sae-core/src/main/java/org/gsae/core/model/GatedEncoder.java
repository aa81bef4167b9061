package org.gsae.core.model;

import java.util.Arrays;
import org.gsae.core.tensor.Tensor;

/**
 * The gated encoder and the linear decoder as pure functions of the parameters
 * (Rajamanoharan et al. 2024, eqs. 5-6, with the magnitude weights tied to the gate weights
 * through {@code W_mag = exp(r_mag) * W_enc}).
 */
public final class GatedEncoder {
  private GatedEncoder() {}

  /**
   * Runs the encoder on a batch.
   *
   * @param p parameters (n = d_in, m = d_sae)
   * @param x activations [B, n], same dtype as {@code p}
   * @return all intermediates, see {@link Encoding}
   */
  public static Encoding encode(SaeParameters p, Tensor x) {
    checkInput(p, x);
    Tensor xc = x.subRowVector(p.bDec());
    Tensor pi = xc.matmul(p.wEnc());
    Tensor piGate = pi.addRowVector(p.bGate());
    Tensor piMag = pi.mulRowVector(p.rMag().exp()).addRowVector(p.bMag());
    Tensor acts = piGate.positiveMask().mul(piMag.relu());
    return new Encoding(xc, pi, piGate, piMag, acts);
  }

  /**
   * Decodes feature activations: {@code f W_dec + b_dec}.
   *
   * @param f feature activations [B, m]
   * @return reconstruction [B, n]
   */
  public static Tensor decode(SaeParameters p, Tensor f) {
    if (f.rank() != 2 || f.cols() != p.dSae()) {
      throw new IllegalArgumentException("feature activations must be [batch, " + p.dSae()
          + "], got " + Arrays.toString(f.shape()));
    }
    return f.matmul(p.wDec()).addRowVector(p.bDec());
  }

  static void checkInput(SaeParameters p, Tensor x) {
    if (x.rank() != 2 || x.cols() != p.dIn()) {
      throw new IllegalArgumentException("input must be [batch, " + p.dIn() + "] (d_in), got "
          + Arrays.toString(x.shape()));
    }
    if (x.dtype() != p.dtype()) {
      throw new IllegalArgumentException("input is " + x.dtype() + " but the model is " + p.dtype());
    }
  }
}
