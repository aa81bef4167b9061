package org.gsae.core.loss;

import java.util.Arrays;
import org.gsae.core.tensor.EncoderProduct;
import org.gsae.core.tensor.NativeMatrix;
import org.gsae.core.tensor.VectorOps;

/**
 * The dense path of the float32 training step, for chunks where most gates are open (early
 * training): the same sums as {@link SparseGatedKernel} from GEMMs per block of B rows, four
 * (five with the SAELENS aux term) besides the encoder's: the two decoder products stacked
 * into one GEMM of 2B rows, their two backward products into another. All go into native
 * matrices kept from step to step in the {@link SparseScratch} pool, the weight gradients
 * accumulated in native memory (the first block overwrites, {@code beta = 0}; later ones add,
 * {@code beta = 1}) and added to the caller's gradient sums once, in {@link #addInto}. Per
 * block (P = encoder product, F = f, G = relu(pi_gate)):
 * <pre>
 *   [X_hat; X_gate] = [F; G] W_dec                    [2B, n]  (+ b_dec)
 *   [dF; dG] = [dX_hat; dX_gate] W_dec^T              [2B, m]
 *   dW_enc  += X_c^T dPi                              [n, m]
 *   dW_dec  += F^T dX_hat (+ G^T dX_gate, SAELENS)    [m, n]
 * </pre>
 * Element-wise work runs on heap copies with rows split among threads, per-feature sums with
 * features split among threads, both summed in row order, so the result does not depend on the
 * thread count.
 *
 * <p>Call order per step: {@link #begin} → {@link #accumulate}* → {@link #addInto}.
 */
final class DenseGatedChunk implements AutoCloseable {
  /** Rows per block: bounds the [block, m] buffers (5 heap + 4 native, 25 MB each at m = 24576). */
  static final int BLOCK = 256;

  private final int threads;
  private final NativeMatrix wDec;
  private final NativeMatrix fg;   // [F; G], [2B, m]: both decoder products in one GEMM
  private final NativeMatrix f;
  private final NativeMatrix g;
  private final NativeMatrix dFG;  // [dF; dG], [2B, m]
  private final NativeMatrix dF;
  private final NativeMatrix dG;
  private final NativeMatrix xhg;  // [X_hat; X_gate], then [dX_hat; dX_gate], [2B, n]
  private final NativeMatrix xh;
  private final NativeMatrix xg;
  private final NativeMatrix xc;
  private final NativeMatrix accEnc;   // dW_enc [n, m]
  private final NativeMatrix accDec;   // dW_dec [m, n]
  private final float[] piH;
  private final float[] fH;
  private final float[] gH;
  private final float[] dFH;
  private final float[] dGH;
  private final float[] xhH;
  private final float[] xgH;
  private final RowTerms rows;
  // The current step.
  private StepParams p;
  private StepSums sums;
  private boolean accumulated;   // a block was added since begin: the accumulators hold sums

  DenseGatedChunk(int n, int m, int threads) {
    this.threads = threads;
    int b = BLOCK;
    wDec = new NativeMatrix(m, n);
    fg = new NativeMatrix(2 * b, m);
    f = fg.rows(0, b);
    g = fg.rows(b, b);
    dFG = new NativeMatrix(2 * b, m);
    dF = dFG.rows(0, b);
    dG = dFG.rows(b, b);
    xhg = new NativeMatrix(2 * b, n);
    xh = xhg.rows(0, b);
    xg = xhg.rows(b, b);
    xc = new NativeMatrix(b, n);
    accEnc = new NativeMatrix(n, m);
    accDec = new NativeMatrix(m, n);
    piH = new float[b * m];
    fH = new float[b * m];
    gH = new float[b * m];
    dFH = new float[b * m];
    dGH = new float[b * m];
    xhH = new float[b * n];
    xgH = new float[b * n];
    rows = new RowTerms(b);
  }

  /** Starts a step: its parameters (W_dec copied to native memory) and the sums to add to. */
  void begin(StepParams p, StepSums sums) {
    this.p = p;
    this.sums = sums;
    wDec.put(p.wDec, 0, p.m);
    accumulated = false;
  }

  /**
   * Adds the sums of {@code count} rows whose encoder product is in {@code product} and whose
   * centred values are {@code xcChunk} [count, n]; {@code x} holds the rows from {@code from}.
   */
  void accumulate(EncoderProduct product, float[] xcChunk, float[] x, int from, int count) {
    for (int r0 = 0; r0 < count; r0 += BLOCK) {
      block(product, xcChunk, x, from, r0, Math.min(BLOCK, count - r0));
    }
  }

  private void block(EncoderProduct product, float[] xcChunk, float[] x, int from, int r0, int rb) {
    int n = p.n;
    int m = p.m;
    int b = BLOCK;
    // Rows past rb are zero: they add nothing to the accumulating GEMMs.
    int parts = Math.min(threads, rb);
    Parallel.run(parts, t -> gates(product, r0, Parallel.split(rb, parts, t), Parallel.split(rb, parts, t + 1)));
    Arrays.fill(fH, rb * m, b * m, 0f);
    Arrays.fill(gH, rb * m, b * m, 0f);
    f.put(fH, 0, b);
    g.put(gH, 0, b);
    float[] xcH = Arrays.copyOfRange(xcChunk, r0 * n, (r0 + b) * n);   // zero-padded past rb
    if (rb < b) {
      Arrays.fill(xcH, rb * n, b * n, 0f);
    }
    xc.put(xcH, 0, b);

    NativeMatrix.gemm(fg, false, wDec, false, xhg, 0);   // X_hat and X_gate
    xh.get(0, b, xhH, 0);
    xg.get(0, b, xgH, 0);
    Parallel.run(parts, t -> residuals(x, from + r0, Parallel.split(rb, parts, t), Parallel.split(rb, parts, t + 1)));
    Arrays.fill(xhH, rb * n, b * n, 0f);
    Arrays.fill(xgH, rb * n, b * n, 0f);
    sums.addRows(rb, rows, xhH, xgH, p.detachAux, p.alpha, p.lambda, n);
    xh.put(xhH, 0, b);   // now dX_hat
    xg.put(xgH, 0, b);   // now dX_gate

    NativeMatrix.gemm(xhg, false, wDec, true, dFG, 0);   // dF and dG
    dF.get(0, b, dFH, 0);
    dG.get(0, b, dGH, 0);
    Parallel.run(threads, t -> featureSums(rb, Parallel.split(m, threads, t), Parallel.split(m, threads, t + 1)));
    Arrays.fill(dFH, rb * m, b * m, 0f);
    dF.put(dFH, 0, b);   // now dPi

    double beta = accumulated ? 1 : 0;
    NativeMatrix.gemm(xc, true, dF, false, accEnc, beta);
    NativeMatrix.gemm(f, true, xh, false, accDec, beta);
    if (!p.detachAux) {
      NativeMatrix.gemm(g, true, xg, false, accDec, 1);
    }
    accumulated = true;
  }

  /** pi, f and g of rows [b0, b1) of the block, with their L1 and L0 terms. */
  private void gates(EncoderProduct product, int r0, int b0, int b1) {
    int m = p.m;
    int[] l0 = new int[1];
    for (int b = b0; b < b1; b++) {
      product.row(r0 + b, piH, b * m);
      l0[0] = 0;
      rows.l1[b] = VectorOps.denseGates(piH, b * m, p.bGate, p.scale, p.bMag, p.norms, fH, gH, m, l0);
      rows.l0[b] = l0[0];
    }
  }

  /** Turns the reconstructions of rows [b0, b1) into their residual gradients, with the loss terms. */
  private void residuals(float[] x, int xRow0, int b0, int b1) {
    int n = p.n;
    float twoAlpha = 2f * p.alpha;
    for (int b = b0; b < b1; b++) {
      int o = b * n;
      int xo = (xRow0 + b) * n;
      double mseRow = 0;
      double auxRow = 0;
      for (int i = 0; i < n; i++) {
        float r = (xhH[o + i] + p.bDec[i]) - x[xo + i];
        float s = (xgH[o + i] + p.bDec[i]) - x[xo + i];
        mseRow += (double) r * r;
        auxRow += (double) s * s;
        xhH[o + i] = 2f * r;
        xgH[o + i] = twoAlpha * s;
      }
      rows.mse[b] = mseRow;
      rows.aux[b] = auxRow;
    }
  }

  /** Per-feature sums of features [j0, j1) over the block's rows, in row order; dPi into dFH. */
  private void featureSums(int rb, int j0, int j1) {
    int m = p.m;
    for (int b = 0; b < rb; b++) {
      int o = b * m;
      for (int j = j0; j < j1; j++) {
        float gv = gH[o + j];
        if (!(gv > 0f)) {
          dFH[o + j] = 0f;
          continue;
        }
        float dm = fH[o + j] > 0f ? dFH[o + j] : 0f;
        float dg = dGH[o + j] + p.lambdaNorms[j];
        float dPi = dm * p.scale[j] + dg;
        sums.gBMag[j] += dm;
        sums.gBGate[j] += dg;
        sums.gPiMagPi[j] += (double) dm * piH[o + j];
        sums.colDPi[j] += dPi;
        sums.gSum[j] += gv;
        dFH[o + j] = dPi;
      }
    }
  }

  /**
   * Adds the step's dense weight-gradient sums (if any block was accumulated) into
   * {@code wEncG} [n, m] and {@code wDecG} [m, n], rows split among threads.
   */
  void addInto(float[] wEncG, float[] wDecG) {
    if (!accumulated) {
      return;
    }
    Parallel.run(threads, t -> {
      addRows(accEnc, wEncG, Parallel.split(p.n, threads, t), Parallel.split(p.n, threads, t + 1));
      addRows(accDec, wDecG, Parallel.split(p.m, threads, t), Parallel.split(p.m, threads, t + 1));
    });
  }

  /** {@code dst[r] += src[r]} for rows [r0, r1) of a native matrix and a heap array of its shape. */
  private static void addRows(NativeMatrix src, float[] dst, int r0, int r1) {
    int cols = src.cols();
    int rowsAtOnce = Math.max(1, (1 << 14) / cols);
    float[] buf = new float[rowsAtOnce * cols];
    for (int r = r0; r < r1; r += rowsAtOnce) {
      int count = Math.min(rowsAtOnce, r1 - r);
      src.get(r, count, buf, 0);
      VectorOps.axpy(1f, buf, 0, dst, r * cols, count * cols);   // fma(1, b, d) = b + d
    }
  }

  @Override
  public void close() {
    for (NativeMatrix a : new NativeMatrix[] {wDec, fg, dFG, xhg, xc, accEnc, accDec}) {
      a.close();
    }
  }
}
