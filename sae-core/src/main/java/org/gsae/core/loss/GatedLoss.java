package org.gsae.core.loss;

import java.io.Serializable;
import java.util.Objects;
import org.gsae.core.model.Encoding;
import org.gsae.core.model.GatedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * The gated SAE training loss with analytic gradients (Rajamanoharan et al. 2024, eq. 8;
 * docs/architecture.md §2):
 *
 * <pre>
 * L_rec = mean_b ||x - x_hat||^2
 * L_sp  = lambda * mean_b sum_j relu(pi_gate)_j ||W_dec[j]||
 * L_aux = alpha  * mean_b ||x - relu(pi_gate) W_dec' - b_dec'||^2
 * </pre>
 *
 * where {@code W_dec', b_dec'} are stop-gradient copies in {@link Variant#PAPER} and live in
 * {@link Variant#SAELENS}. Everything is returned as sums over the batch rows (see
 * {@link LossSums}); the gradient of the mean loss is {@code gradientSum / rows}.
 *
 * <p>Thread-safe and stateless: one instance serves any number of concurrent batches.
 */
public final class GatedLoss implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Above this fraction of open gates in a chunk, {@link #accumulate} uses the dense GEMM path
   * (BLAS beats the per-pair loops when many gates are open, as early in training): the bar for
   * a chunk of many rows; {@link #AUTO} raises it for smaller ones. First measured at batch
   * 4096 ({@code bench --d-in 768 --d-sae 6144 --batch 4096 --threads 2 --target-l0 K
   * --dense-above 1|0}, sparse | dense) as 0.075, then 0.10 once the sparse loops streamed four
   * pairs at a time; 0.11 since the dense path keeps its native buffers between steps (see
   * {@link #AUTO}).
   */
  public static final double DEFAULT_DENSE_ABOVE = 0.11;

  /**
   * As {@code denseAbove}: choose by the chunk's rows, {@link #DEFAULT_DENSE_ABOVE} +
   * {@link #AUTO_ROWS} / rows (at most 1). The dense path's weight-gradient GEMMs read and write [d_in, d_sae] arrays
   * whatever a chunk's rows, so a small chunk needs more open gates before it pays. Measured
   * 2026-12-07 after the dense path stopped allocating per step ({@code bench --target-l0 K
   * --dense-above 0|1}, dense / sparse; the crossing, interpolated): 784 x 6272 batch 256 about
   * 19% (K 700: 0.141 / 0.110 s; K 1200: 0.144 / 0.144 s; K 1800: 0.147 / 0.188 s), batch 1024
   * about 14% (K 750: 0.393 / 0.338 s; K 1000: 0.407 / 0.457 s), 768 x 6144 batch 4096 about
   * 12% (K 500: 1.33 / 0.91 s; K 700: 1.35 / 1.31 s; K 900: 1.32 / 1.50 s); the rule gives
   * 18.8%, 13.0% and 11.5%. (Before that change: 30%, 16% and 13%, and the rule was 0.10 +
   * 50 / rows.)
   */
  public static final double AUTO = -1;

  /** The rows term of {@link #AUTO}. */
  public static final double AUTO_ROWS = 20;

  private final Variant variant;
  private final double auxCoefficient;
  private final double denseAbove;

  /**
   * @param variant        which objective (aux detached or not)
   * @param auxCoefficient alpha, the weight of {@code L_aux} (the paper uses 1)
   */
  public GatedLoss(Variant variant, double auxCoefficient) {
    this(variant, auxCoefficient, AUTO);
  }

  /**
   * @param denseAbove open-gate fraction above which {@link #accumulate} takes the dense
   *                   path: 0 = always dense, 1 = always sparse, {@link #AUTO} = by the chunk's
   *                   rows
   */
  public GatedLoss(Variant variant, double auxCoefficient, double denseAbove) {
    if (!(denseAbove >= 0 && denseAbove <= 1) && denseAbove != AUTO) {
      throw new IllegalArgumentException("dense threshold must be in [0, 1] (or AUTO, -1), got "
          + denseAbove);
    }
    this.denseAbove = denseAbove;
    if (!(auxCoefficient >= 0) || Double.isInfinite(auxCoefficient)) {
      throw new IllegalArgumentException("aux coefficient must be finite and >= 0, got " + auxCoefficient);
    }
    this.variant = Objects.requireNonNull(variant, "variant");
    this.auxCoefficient = auxCoefficient;
  }

  public Variant variant() {
    return variant;
  }

  public double auxCoefficient() {
    return auxCoefficient;
  }

  /** The configured threshold: a fraction, or {@link #AUTO}. */
  public double denseAbove() {
    return denseAbove;
  }

  /** Open-gate fraction above which {@link #accumulate} computes a chunk of {@code rows} densely. */
  public double denseAbove(int rows) {
    return denseAbove != AUTO ? denseAbove : Math.min(1, DEFAULT_DENSE_ABOVE + AUTO_ROWS / rows);
  }

  /**
   * The float32 training path: adds the gradient of the summed loss over {@code count} rows
   * into {@code gradSum} (in place) and returns the loss sums.
   * Rows are processed in chunks of at most {@code chunkRows}; a chunk whose open-gate
   * fraction exceeds {@link #denseAbove(int)} is computed with dense GEMMs, any other over the
   * active (row, feature) pairs only. Deterministic for given inputs and chunking.
   *
   * @param p       float32 parameters
   * @param rows    row-major activations [count, d_in]
   * @param lambda  sparsity coefficient
   * @param gradSum float32, shaped like {@code p}: the gradient sum to add into
   * @param threads worker threads inside the step; the result does not depend on it
   */
  public LossSums accumulate(SaeParameters p, float[] rows, int count, int chunkRows, double lambda,
      SaeParameters gradSum, int threads) {
    if (p.dtype() != DType.FLOAT32 || gradSum.dtype() != p.dtype()) {
      throw new IllegalArgumentException("the training path runs in float32; parameters are "
          + p.dtype() + ", the gradient sum " + gradSum.dtype());
    }
    if (gradSum.dIn() != p.dIn() || gradSum.dSae() != p.dSae()) {
      throw new IllegalArgumentException("gradient sum is d_in=" + gradSum.dIn() + ", d_sae="
          + gradSum.dSae() + " for parameters of d_in=" + p.dIn() + ", d_sae=" + p.dSae());
    }
    if (threads < 1 || chunkRows < 1) {
      throw new IllegalArgumentException("threads and chunkRows must be >= 1, got " + threads
          + " and " + chunkRows);
    }
    try (SparseGatedKernel k = new SparseGatedKernel(p, this, lambda, threads, gradSum)) {
      for (int from = 0; from < count; from += chunkRows) {
        int c = Math.min(chunkRows, count - from);
        k.piForChunk(rows, from, c);
        if (k.activeFraction(c) > denseAbove(c)) {
          k.accumulateDense(rows, from, c);
        } else {
          k.accumulateChunk(rows, from, c);
        }
      }
      return k.finish();
    }
  }

  /** {@link #accumulate(SaeParameters, float[], int, int, double, SaeParameters, int)} on one thread. */
  public LossSums accumulate(SaeParameters p, float[] rows, int count, int chunkRows, double lambda,
      SaeParameters gradSum) {
    return accumulate(p, rows, count, chunkRows, lambda, gradSum, 1);
  }

  /** Loss sums and the gradient of the summed loss for one batch. */
  public record Result(LossSums loss, SaeParameters gradientSum) {}

  /**
   * Computes the summed loss terms and their analytic gradient on one batch.
   *
   * @param p      parameters (n = d_in, m = d_sae)
   * @param x      activations [B, n], same dtype as {@code p}
   * @param lambda sparsity coefficient (after any warm-up)
   * @return loss sums over the B rows and the gradient of their sum (same shapes as {@code p})
   */
  public Result evaluate(SaeParameters p, Tensor x, double lambda) {
    Encoding e = GatedEncoder.encode(p, x);
    Tensor f = e.featureActs();
    Tensor xHat = GatedEncoder.decode(p, f);
    Tensor r = xHat.sub(x);                                      // [B, n]
    Tensor g = e.piGate().relu();                                // [B, m]
    Tensor norms = p.wDec().rowNorms();                          // [m]
    Tensor s = g.matmul(p.wDec()).addRowVector(p.bDec()).sub(x); // [B, n] aux residual
    Tensor gSum = g.sumRows();                                   // [m]

    double mse = r.sumSquares();
    double l1 = lambda * gSum.vecmat(norms.reshape(norms.length(), 1), false).scalar();
    double aux = auxCoefficient * s.sumSquares();
    double l0 = f.positiveMask().sum();

    // d(sum loss)/d x_hat and d/d x_hat_gate
    Tensor dxh = r.scale(2.0);
    Tensor ds = s.scale(2.0 * auxCoefficient);

    // Magnitude path: dL/dpi_mag = (dxh W_dec^T) * 1[gate] * 1[pi_mag > 0].
    Tensor dPiMag = dxh.matmul(p.wDec(), false, true).mul(f.positiveMask());
    // Gate path: dL/dpi_gate = (ds W_dec^T + lambda ||W_dec||) * 1[pi_gate > 0].
    Tensor dPiGate = ds.matmul(p.wDec(), false, true).addRowVector(norms.scale(lambda))
        .mul(e.piGate().positiveMask());

    Tensor scale = p.rMag().exp();                               // [m]
    Tensor dbMag = dPiMag.sumRows();
    Tensor dbGate = dPiGate.sumRows();
    // pi feeds both paths: dL/dpi = exp(r_mag) * dpi_mag + dpi_gate, so one GEMM gives dW_enc.
    Tensor dPi = dPiMag.mulRowVector(scale).add(dPiGate);
    Tensor dWEnc = e.xCentered().matmul(dPi, true, false);      // [n, m]
    // pi_mag = exp(r_mag) * pi + b_mag  =>  dr_mag = exp(r_mag) * sum_b dpi_mag * pi.
    Tensor drMag = dPiMag.mul(e.pi()).sumRows().mul(scale);

    // Decoder: MSE path, plus the L1 norm term (d||w_j||/dw_j = w_j / ||w_j||).
    Tensor dWDec = f.matmul(dxh, true, false)
        .add(p.wDec().divColumnVector(safe(norms)).mulColumnVector(gSum.scale(lambda)));
    Tensor dbDec = dxh.sumRows();
    if (!variant.detachAux()) {
      dWDec = dWDec.add(g.matmul(ds, true, false));
      dbDec = dbDec.add(ds.sumRows());
    }
    // x_c = x - b_dec: sum_b dL/dx_c = sum_b dpi W_enc^T = (sum_b dpi) W_enc^T.
    dbDec = dbDec.sub(dbMag.mul(scale).add(dbGate).vecmat(p.wEnc(), true));

    SaeParameters grad = new SaeParameters(dWEnc, dbGate, drMag, dbMag, dWDec, dbDec);
    return new Result(new LossSums(mse, l1, aux, l0, x.rows()), grad);
  }

  /** Norms with exact zeros replaced by 1 so an all-zero decoder row gets zero L1 gradient. */
  private static Tensor safe(Tensor norms) {
    return norms.add(norms.positiveMask().scale(-1.0).addScalar(1.0));
  }
}
