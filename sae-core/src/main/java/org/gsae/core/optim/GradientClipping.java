package org.gsae.core.optim;

import org.gsae.core.model.SaeParameters;

/**
 * Clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_} (L2 over all six
 * tensors; {@code coef = min(1, maxNorm / (norm + 1e-6))}).
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
    double norm = Math.sqrt(grad.sumSquares());
    if (maxNorm <= 0) {
      return new Clipped(grad, norm);
    }
    double coef = maxNorm / (norm + 1e-6);
    return new Clipped(coef < 1.0 ? grad.map(t -> t.scale(coef)) : grad, norm);
  }
}
