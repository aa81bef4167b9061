package org.gsae.core.loss;

import java.util.Arrays;
import org.gsae.core.tensor.EncoderProduct;
import org.gsae.core.tensor.NativeMatrix;

/**
 * The dense path of the float32 training step, for chunks where most gates are open (early
 * training): the same sums as {@link SparseGatedKernel} from seven or eight GEMMs per block
 * of rows, all into native matrices allocated once per step, with the weight gradients
 * accumulated in native memory ({@code beta = 1}) and added to the heap sums once, in
 * {@link #addInto}. Per block of B rows (P = encoder product, F = f, G = relu(pi_gate)):
 * <pre>
 *   X_hat = F W_dec,  X_gate = G W_dec                [B, n]   (+ b_dec)
 *   dF = dX_hat W_dec^T,  dG = dX_gate W_dec^T        [B, m]
 *   dW_enc^T += dPi^T X_c                             [m, n]
 *   dW_dec   += F^T dX_hat (+ G^T dX_gate, SAELENS)   [m, n]
 * </pre>
 * Element-wise work runs on heap copies with rows split among threads, per-feature sums with
 * features split among threads, both summed in row order, so the result does not depend on the
 * thread count.
 */
final class DenseGatedChunk implements AutoCloseable {
  /** Rows per block: bounds the [block, m] buffers (5 heap + 4 native, 25 MB each at m = 24576). */
  static final int BLOCK = 256;

  private final StepParams p;
  private final StepSums sums;
  private final int threads;
  private final NativeMatrix wDec;
  private final NativeMatrix f;
  private final NativeMatrix g;
  private final NativeMatrix dF;
  private final NativeMatrix dG;
  private final NativeMatrix xh;
  private final NativeMatrix xg;
  private final NativeMatrix xc;
  private final NativeMatrix accEncT;
  private final NativeMatrix accDec;
  private final float[] piH;
  private final float[] fH;
  private final float[] gH;
  private final float[] dFH;
  private final float[] dGH;
  private final float[] xhH;
  private final float[] xgH;
  private final RowTerms rows;

  DenseGatedChunk(StepParams p, StepSums sums, int threads) {
    this.p = p;
    this.sums = sums;
    this.threads = threads;
    int b = BLOCK;
    int n = p.n;
    int m = p.m;
    wDec = new NativeMatrix(m, n);
    wDec.put(p.wDec, 0, m);
    f = new NativeMatrix(b, m);
    g = new NativeMatrix(b, m);
    dF = new NativeMatrix(b, m);
    dG = new NativeMatrix(b, m);
    xh = new NativeMatrix(b, n);
    xg = new NativeMatrix(b, n);
    xc = new NativeMatrix(b, n);
    accEncT = new NativeMatrix(m, n).zero();
    accDec = new NativeMatrix(m, n).zero();
    piH = new float[b * m];
    fH = new float[b * m];
    gH = new float[b * m];
    dFH = new float[b * m];
    dGH = new float[b * m];
    xhH = new float[b * n];
    xgH = new float[b * n];
    rows = new RowTerms(b);
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

    NativeMatrix.gemm(f, false, wDec, false, xh, 0);
    NativeMatrix.gemm(g, false, wDec, false, xg, 0);
    xh.get(0, b, xhH, 0);
    xg.get(0, b, xgH, 0);
    Parallel.run(parts, t -> residuals(x, from + r0, Parallel.split(rb, parts, t), Parallel.split(rb, parts, t + 1)));
    Arrays.fill(xhH, rb * n, b * n, 0f);
    Arrays.fill(xgH, rb * n, b * n, 0f);
    sums.addRows(rb, rows, xhH, xgH, p.detachAux, p.alpha, p.lambda, n);
    xh.put(xhH, 0, b);   // now dX_hat
    xg.put(xgH, 0, b);   // now dX_gate

    NativeMatrix.gemm(xh, false, wDec, true, dF, 0);
    NativeMatrix.gemm(xg, false, wDec, true, dG, 0);
    dF.get(0, b, dFH, 0);
    dG.get(0, b, dGH, 0);
    Parallel.run(threads, t -> featureSums(rb, Parallel.split(m, threads, t), Parallel.split(m, threads, t + 1)));
    Arrays.fill(dFH, rb * m, b * m, 0f);
    dF.put(dFH, 0, b);   // now dPi

    NativeMatrix.gemm(dF, true, xc, false, accEncT, 1);
    NativeMatrix.gemm(f, true, xh, false, accDec, 1);
    if (!p.detachAux) {
      NativeMatrix.gemm(g, true, xg, false, accDec, 1);
    }
  }

  /** pi, f and g of rows [b0, b1) of the block, with their L1 and L0 terms. */
  private void gates(EncoderProduct product, int r0, int b0, int b1) {
    int m = p.m;
    float[] row = new float[m];
    for (int b = b0; b < b1; b++) {
      product.row(r0 + b, row);
      System.arraycopy(row, 0, piH, b * m, m);
      double l1Row = 0;
      int l0Row = 0;
      int o = b * m;
      for (int j = 0; j < m; j++) {
        float v = row[j];
        float pg = v + p.bGate[j];
        float gv = 0f;
        float fv = 0f;
        if (pg > 0) {
          gv = pg;
          float pm = p.scale[j] * v + p.bMag[j];
          fv = pm > 0 ? pm : 0f;
          l1Row += (double) gv * p.norms[j];
          if (fv != 0f) {
            l0Row++;
          }
        }
        fH[o + j] = fv;
        gH[o + j] = gv;
      }
      rows.l1[b] = l1Row;
      rows.l0[b] = l0Row;
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
        if (gv <= 0f) {
          dFH[o + j] = 0f;
          continue;
        }
        float dm = fH[o + j] > 0f ? dFH[o + j] : 0f;
        float dg = dGH[o + j] + p.lambda * p.norms[j];
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

  /** Adds the native weight-gradient accumulators into the heap sums. */
  void addInto(StepSums target) {
    int n = p.n;
    int m = p.m;
    int rowsAtOnce = Math.max(1, Math.min(m, (1 << 20) / n));
    float[] buf = new float[rowsAtOnce * n];
    for (int j0 = 0; j0 < m; j0 += rowsAtOnce) {
      int rows = Math.min(rowsAtOnce, m - j0);
      accEncT.get(j0, rows, buf, 0);
      for (int k = 0; k < rows * n; k++) {
        target.gWEncT[j0 * n + k] += buf[k];
      }
      accDec.get(j0, rows, buf, 0);
      for (int k = 0; k < rows * n; k++) {
        target.gradWDec[j0 * n + k] += buf[k];
      }
    }
  }

  @Override
  public void close() {
    for (NativeMatrix a : new NativeMatrix[] {wDec, f, g, dF, dG, xh, xg, xc, accEncT, accDec}) {
      a.close();
    }
  }
}
