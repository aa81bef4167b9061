package org.gsae.core.optim;

import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;

/**
 * The unit-norm decoder constraint of the paper's training recipe (Rajamanoharan et al.
 * 2024, App. D, following Bricken et al. 2023): before the optimiser step the gradient
 * component parallel to each decoder row is removed; after it the rows are renormalised.
 */
public final class DecoderConstraint {
  private DecoderConstraint() {}

  /**
   * {@code g_j - (g_j . u_j) u_j} with {@code u_j = w_j / ||w_j||} for each decoder row j.
   *
   * @param grad gradient whose {@code W_dec} [m, n] is projected; other tensors unchanged
   * @param wDec current decoder [m, n]
   */
  public static SaeParameters removeParallelComponent(SaeParameters grad, Tensor wDec) {
    Tensor projected = grad.wDec().copy().removeRowComponentsInPlace(wDec);
    return new SaeParameters(grad.wEnc(), grad.bGate(), grad.rMag(), grad.bMag(), projected,
        grad.bDec());
  }

  /**
   * As {@link #removeParallelComponent} but overwriting {@code grad}'s {@code W_dec}: for a
   * gradient the caller owns (the training step's mean gradient), without a [m, n] copy.
   */
  public static void removeParallelComponentInPlace(SaeParameters grad, Tensor wDec) {
    grad.wDec().removeRowComponentsInPlace(wDec);
  }

  /** Scales each decoder row of {@code params} to unit L2 norm, in place. */
  public static void renormalizeRows(SaeParameters params) {
    params.wDec().normalizeRowsInPlace();
  }
}
