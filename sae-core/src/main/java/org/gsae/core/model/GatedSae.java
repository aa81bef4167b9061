package org.gsae.core.model;

import java.util.Objects;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * A gated sparse autoencoder (Rajamanoharan et al. 2024): the parameters plus the
 * sparsity coefficient it is trained with. Mirrors the original Python API
 * ({@code GatedSae(d_input, d_hidden, sparsity_coefficient)}, {@code forward}, {@code encode},
 * {@code decode}); the math itself lives in {@link GatedEncoder} and
 * {@link org.gsae.core.loss.GatedLoss}.
 *
 * <p>Not thread-safe for training (a trainer replaces the parameters after each step);
 * inference on a fixed instance is safe from several threads.
 */
public final class GatedSae {
  private SaeParameters params;
  private double sparsityCoefficient;

  /**
   * A freshly initialised model (see {@link SaeInit}) with seed 0 and {@code b_dec = 0}.
   *
   * @param dInput              n, width of the activations
   * @param dHidden             m, number of features
   * @param sparsityCoefficient lambda
   */
  public GatedSae(int dInput, int dHidden, double sparsityCoefficient) {
    this(SaeInit.initialize(dInput, dHidden, 0L, null), sparsityCoefficient);
  }

  /** Wraps existing parameters (loaded, or initialised with {@link SaeInit}). */
  public GatedSae(SaeParameters params, double sparsityCoefficient) {
    this.params = Objects.requireNonNull(params, "params");
    setLambda(sparsityCoefficient);
  }

  /** n = {@code d_in}. */
  public int dInput() {
    return params.dIn();
  }

  /** m = {@code d_sae}. */
  public int dHidden() {
    return params.dSae();
  }

  public SaeParameters parameters() {
    return params;
  }

  /** Replaces the parameters (same shapes); used by trainers and loaders. */
  public void setParameters(SaeParameters p) {
    if (p.dIn() != params.dIn() || p.dSae() != params.dSae()) {
      throw new IllegalArgumentException("new parameters are d_in=" + p.dIn() + ", d_sae="
          + p.dSae() + " but the model is d_in=" + params.dIn() + ", d_sae=" + params.dSae());
    }
    this.params = p;
  }

  public double sparsityCoefficient() {
    return sparsityCoefficient;
  }

  /** Sets lambda (for example from a warm-up schedule). */
  public void setLambda(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("sparsity coefficient must be finite and >= 0, got " + lambda);
    }
    this.sparsityCoefficient = lambda;
  }

  /**
   * Encodes, decodes and computes the auxiliary loss on a batch.
   *
   * @param x activations [B, n] (float32, or float64 for a float64 model)
   */
  public ForwardOutput forward(Tensor x) {
    Tensor xx = x.dtype() == params.dtype() ? x : x.cast(params.dtype());
    Encoding e = GatedEncoder.encode(params, xx);
    Tensor xHat = GatedEncoder.decode(params, e.featureActs());
    Tensor viaGate = GatedEncoder.decode(params, e.piGate().relu());
    double aux = viaGate.sub(xx).sumSquares() / xx.rows();
    return new ForwardOutput(xHat, e.featureActs(), aux);
  }

  /** Feature activations {@code f} [B, m] for activations {@code x} [B, n]. */
  public Tensor encode(Tensor x) {
    Tensor xx = x.dtype() == params.dtype() ? x : x.cast(params.dtype());
    return GatedEncoder.encode(params, xx).featureActs();
  }

  /** Reconstruction {@code f W_dec + b_dec} [B, n] for feature activations {@code f} [B, m]. */
  public Tensor decode(Tensor f) {
    Tensor ff = f.dtype() == params.dtype() ? f : f.cast(params.dtype());
    return GatedEncoder.decode(params, ff);
  }

  /** Element type of the parameters. */
  public DType dtype() {
    return params.dtype();
  }

  @Override
  public String toString() {
    return "GatedSae(d_in=" + dInput() + ", d_sae=" + dHidden() + ", lambda=" + sparsityCoefficient + ")";
  }
}
