package org.gsae.core.optim;

import org.gsae.core.model.SaeParameters;

/**
 * Clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_} (L2 over all six
 * tensors, summed in {@link GradientNorm}'s order; {@code coef = min(1, maxNorm / (norm +
 * 1e-6))}).
 */
public final class GradientClipping {
  private GradientClipping() {}

  /** The gradient and its global L2 norm before clipping. */
  public record Clipped(SaeParameters grad, double normBefore) {}

  /**
   * @param grad    mean gradient
   * @param maxNorm threshold; 0 disables clipping (the norm is still measured)
   */
  public static Clipped clip(SaeParameters grad, double maxNorm) {
    SaeParameters copy = grad.copy();
    return new Clipped(copy, clipInPlace(copy, maxNorm));
  }

  /**
   * As {@link #clip}, scaling {@code grad} in place (for a gradient the caller owns, such as
   * the training step's mean gradient: no copy of every parameter).
   *
   * @return the global norm before clipping
   */
  public static double clipInPlace(SaeParameters grad, double maxNorm) {
    double norm = Math.sqrt(GradientNorm.sumSquares(grad));
    double coef = coefficient(norm, maxNorm);
    if (coef != 1.0) {
      grad.tensors().forEach(t -> t.scaleInPlace(coef));
    }
    return norm;
  }

  /** The factor the gradient is scaled by: {@code maxNorm / (norm + 1e-6)} when below 1 and clipping is on, else 1. */
  public static double coefficient(double norm, double maxNorm) {
    double coef = maxNorm / (norm + 1e-6);
    return maxNorm > 0 && coef < 1.0 ? coef : 1.0;
  }
}
