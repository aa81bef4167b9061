package org.gsae.core.loss;

import java.util.Arrays;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.EncoderProduct;
import org.gsae.core.tensor.VectorOps;

/**
 * The float32 training step of {@link GatedLoss}, computed over the active (row, feature)
 * pairs only (docs/architecture.md §2, "where the work is"). After the one dense encoder product
 * {@code pi = x_c W_enc}, every other quantity lives on the support of the gate:
 * {@code f} and {@code relu(pi_gate)} are zero where the gate is closed, and so is every
 * gradient of the encoder pre-activations. Per row with L0 active features this costs
 * O(L0 * n) instead of O(m * n) for the decoder products and the whole backward pass.
 * Chunks whose open-gate fraction is high go to {@link DenseGatedChunk} (GEMMs) instead.
 *
 * <p>Same math as {@link GatedLoss#evaluate} (the reference implementation, which also runs
 * in float64 for the checks); results agree to float32 rounding. Sums (not means) are
 * added into the caller's gradient sum, in place.
 *
 * <p>Parallel inside a step without duplicating any [m, n] accumulator: the forward pass
 * splits the chunk's rows among threads, the backward pass splits the features (each
 * feature's gradient rows are owned by one thread and summed over its rows in row order),
 * and per-row loss terms are added in row order. So the result does not depend on the
 * thread count, only on the chunking. BLAS runs with whatever thread count the process set
 * ({@link org.gsae.core.tensor.Backend#setBlasThreads}).
 *
 * <p>Call order: construct (per step) → ({@link #piForChunk} → {@link #activeFraction} →
 * {@link #accumulateChunk} or {@link #accumulateDense})* → {@link #finish}.
 */
final class SparseGatedKernel implements AutoCloseable {
  private final StepParams p;
  private final SaeParameters gradSum;
  private final StepSums sums;
  private final int threads;
  private final EncoderProduct product;
  private final SparseScratch s;
  private DenseGatedChunk dense;   // bound on the step's first dense chunk
  private long lastActive;

  /** @param gradSum float32, shaped like {@code params}: {@link #finish} adds into it */
  SparseGatedKernel(SaeParameters params, GatedLoss loss, double lambda, int threads,
      SaeParameters gradSum) {
    this.p = new StepParams(params, loss, lambda);
    this.gradSum = gradSum;
    this.threads = threads;
    this.s = SparseScratch.acquire(p.n, p.m, threads);
    this.sums = new StepSums(p.n, p.m, gradSum.wEnc().floatView(), gradSum.wDec().floatView());
    this.product = EncoderProduct.acquire(p.n, p.m);
    product.setWeights(p.wEnc);
  }

  /** Centres the chunk, runs the encoder GEMM and counts its open gates ({@link #activeFraction}). */
  void piForChunk(float[] rowsData, int from, int count) {
    int n = p.n;
    int m = p.m;
    s.ensureChunk(count);
    float[] xc = s.xc;
    for (int b = 0; b < count; b++) {
      int src = (from + b) * n;
      int dst = b * n;
      for (int i = 0; i < n; i++) {
        xc[dst + i] = rowsData[src + i] - p.bDec[i];
      }
    }
    product.multiply(xc, count);
    int parts = Math.min(threads, count);
    long[] open = new long[parts];
    Parallel.run(parts, t -> {
      float[] row = s.workers[t].piRow;
      for (int b = Parallel.split(count, parts, t); b < Parallel.split(count, parts, t + 1); b++) {
        product.row(b, row);
        open[t] += VectorOps.countOpen(row, p.bGate, p.m);
      }
    });
    lastActive = 0;
    for (long k : open) {
      lastActive += k;
    }
  }

  /** The active pairs of row {@code b} of the chunk, appended to the worker's list. */
  private void collectPairs(SparseScratch.Worker w, int b) {
    product.row(b, w.piRow);
    int k = VectorOps.openGates(w.piRow, p.bGate, p.m, w.open);
    for (int q = 0; q < k; q++) {
      int j = w.open[q];
      float v = w.piRow[j];
      float pm = p.scale[j] * v + p.bMag[j];
      w.pairs.add(j, b, v, v + p.bGate[j], pm > 0 ? pm : 0f);
    }
  }

  /** Fraction of open gates in the chunk last passed to {@link #piForChunk}. */
  double activeFraction(int count) {
    return (double) lastActive / ((double) count * p.m);
  }

  /** Accumulates the chunk last passed to {@link #piForChunk} with dense GEMMs. */
  void accumulateDense(float[] rowsData, int from, int count) {
    if (dense == null) {
      dense = s.dense(p, sums);
    }
    dense.accumulate(product, s.xc, rowsData, from, count);
  }

  /**
   * Accumulates loss and gradient sums of the chunk last passed to {@link #piForChunk}, in two
   * phases. Forward, rows split among threads: the gate support, both reconstructions, the
   * residual gradients {@code dxh}, {@code ds} of every row and then, while they are in cache,
   * the pre-activation gradients of the row's pairs ({@code dxh . W_dec[j]},
   * {@code ds . W_dec[j]}). Backward, features split among threads: the chunk's active pairs
   * are bucketed by feature, so the gradient rows {@code dW_enc[:, j]}, {@code dW_dec[j]} stay
   * in cache across all rows where feature j is active (row-major order would touch them once
   * per pair).
   */
  void accumulateChunk(float[] rowsData, int from, int count) {
    int parts = Math.min(threads, count);
    Parallel.run(parts, t -> forwardRows(s.workers[t], rowsData, from,
        Parallel.split(count, parts, t), Parallel.split(count, parts, t + 1)));
    PairList[] lists = new PairList[parts];
    for (int t = 0; t < parts; t++) {
      lists[t] = s.workers[t].pairs;
    }
    s.pairs.concat(lists, parts);   // worker order = row order
    bucketByFeature();
    int[] bounds = featureBounds();
    Parallel.run(threads, t -> backward(s.workers[t], bounds[t], bounds[t + 1]));
    sums.addRows(count, s.rowTerms, s.dxh, s.ds, p.detachAux, p.alpha, p.lambda, p.n);
  }

  /** Collects the active pairs of rows [b0, b1) and runs each row's forward pass on them. */
  private void forwardRows(SparseScratch.Worker w, float[] x, int from, int b0, int b1) {
    w.pairs.size = 0;
    for (int b = b0; b < b1; b++) {
      int first = w.pairs.size;
      collectPairs(w, b);
      forwardRow(w, x, (from + b) * p.n, b, first, w.pairs.size);
    }
  }

  private void forwardRow(SparseScratch.Worker w, float[] x, int xOff, int b, int first, int end) {
    int n = p.n;
    float[] xh = w.xh;
    float[] xg = w.xg;
    PairList e = w.pairs;
    System.arraycopy(p.bDec, 0, xh, 0, n);
    System.arraycopy(p.bDec, 0, xg, 0, n);
    double l1Row = 0;
    int l0Row = 0;
    int a = first;
    // Both reconstructions, four pairs (four scattered W_dec rows) at a time, then the rest.
    for (; a + 4 <= end; a += 4) {
      for (int k = 0; k < 4; k++) {
        int j = e.feature[a + k];
        w.rows4[k] = j * n;
        w.c1[k] = e.f[a + k];
        w.c2[k] = e.g[a + k];
        if (e.f[a + k] != 0f) {
          l0Row++;
        }
        l1Row += (double) e.g[a + k] * p.norms[j];
      }
      VectorOps.axpy4x2(w.c1, w.c2, p.wDec, w.rows4, xh, xg, n);
    }
    for (; a < end; a++) {
      int off = e.feature[a] * n;
      if (e.f[a] != 0f) {
        VectorOps.axpy2(e.f[a], e.g[a], p.wDec, off, xh, xg, n);   // both reconstructions, one read
        l0Row++;
      } else {
        VectorOps.axpy(e.g[a], p.wDec, off, xg, 0, n);
      }
      l1Row += (double) e.g[a] * p.norms[e.feature[a]];
    }
    float twoAlpha = 2f * p.alpha;
    double mseRow = 0;
    double auxRow = 0;
    int bo = b * n;
    float[] dxh = s.dxh;
    float[] ds = s.ds;
    for (int i = 0; i < n; i++) {
      float r = xh[i] - x[xOff + i];
      float q = xg[i] - x[xOff + i];
      mseRow += (double) r * r;
      auxRow += (double) q * q;
      dxh[bo + i] = 2f * r;
      ds[bo + i] = twoAlpha * q;
    }
    RowTerms terms = s.rowTerms;
    terms.mse[b] = mseRow;
    terms.aux[b] = auxRow;
    terms.l1[b] = l1Row;
    terms.l0[b] = l0Row;
    // The pre-activation gradients of the row's pairs, while its residual gradients are in L1
    // and the W_dec rows just read for the reconstructions are still in L2.
    float[] pair = w.pair;
    for (a = first; a < end; a++) {
      int j = e.feature[a];
      float ln = p.lambdaNorms[j];
      if (e.f[a] > 0f) {
        VectorOps.dot2(dxh, ds, bo, p.wDec, j * n, n, pair);
        e.dm[a] = pair[0];
        e.dg[a] = pair[1] + ln;
      } else {
        e.dm[a] = 0f;
        e.dg[a] = VectorOps.dot(ds, bo, p.wDec, j * n, n) + ln;
      }
    }
  }

  /** Counting sort of the chunk's pairs by feature into {@code s.order}; within a feature, rows stay in order. */
  private void bucketByFeature() {
    int m = p.m;
    int entries = s.pairs.size;
    int[] feature = s.pairs.feature;
    int[] start = s.featureStart;
    s.ensureOrder(entries);
    Arrays.fill(start, 0);
    for (int a = 0; a < entries; a++) {
      start[feature[a] + 1]++;
    }
    for (int j = 0; j < m; j++) {
      start[j + 1] += start[j];
    }
    System.arraycopy(start, 0, s.cursor, 0, m);
    for (int a = 0; a < entries; a++) {
      s.order[s.cursor[feature[a]]++] = a;
    }
  }

  /** Feature ranges with about equal numbers of pairs, one per thread: [bounds[t], bounds[t+1]). */
  private int[] featureBounds() {
    int[] bounds = new int[threads + 1];
    int j = 0;
    for (int t = 1; t < threads; t++) {
      long target = (long) s.pairs.size * t / threads;
      while (j < p.m && s.featureStart[j] < target) {
        j++;
      }
      bounds[t] = j;
    }
    bounds[threads] = p.m;
    return bounds;
  }

  /**
   * The gradient rows of features [j0, j1): per feature, its pairs in row order, four at a
   * time ({@link VectorOps#axpy4}: four scattered rows of x_c, dxh, ds in flight at once),
   * then the rest one by one. {@code dW_dec[j]} is added to in place; {@code dW_enc[:, j]}, a
   * column of the [n, m] sum, is summed in a row of the worker's panel
   * ({@link SparseScratch#PANEL} features at a time, [PANEL, n], in cache) and the panel added
   * to the columns once its features are done ({@link #addPanel}).
   */
  private void backward(SparseScratch.Worker w, int j0, int j1) {
    for (int g0 = j0; g0 < j1; g0 += SparseScratch.PANEL) {
      int g1 = Math.min(j1, g0 + SparseScratch.PANEL);
      boolean any = false;
      for (int j = g0; j < g1; j++) {
        if (s.featureStart[j] < s.featureStart[j + 1]) {
          backwardFeature(w, j, (j - g0) * p.n);
          any = true;
        }
      }
      if (any) {
        addPanel(w.panel, g0, g1);
      }
    }
  }

  /**
   * {@code dW_enc[:, g0..g1) += panel^T} ([n, m] row-major), then the panel's rows zeroed
   * again; rows of features without pairs are zero and add nothing.
   */
  private void addPanel(float[] panel, int g0, int g1) {
    int n = p.n;
    int m = p.m;
    int width = g1 - g0;
    float[] wEncG = sums.gradWEnc;
    for (int i = 0; i < n; i++) {
      int row = i * m + g0;
      for (int q = 0; q < width; q++) {
        wEncG[row + q] += panel[q * n + i];
      }
    }
    Arrays.fill(panel, 0, width * n, 0f);
  }

  /** Feature j's pairs: its W_dec gradient row, its W_enc column into {@code panel[po..po+n)}. */
  private void backwardFeature(SparseScratch.Worker w, int j, int po) {
    int n = p.n;
    PairList e = s.pairs;
    float[] xc = s.xc;
    float[] dxh = s.dxh;
    float[] ds = s.ds;
    float[] dPi4 = w.c1;
    float[] f4 = w.c2;
    float[] g4 = w.c3;
    int[] rows4 = w.rows4;
    float[] panel = w.panel;
    int lo = s.featureStart[j];
    int hi = s.featureStart[j + 1];
    int off = j * n;
    double sBMag = 0;
    double sBGate = 0;
    double sPiMagPi = 0;
    double sDPi = 0;
    double sG = 0;
    int grouped = lo + (hi - lo) / 4 * 4;
    for (int q = lo; q < hi; q++) {
      int a = s.order[q];
      int bo = e.row[a] * n;
      float dm = e.dm[a];
      float dg = e.dg[a];
      sBMag += dm;
      sBGate += dg;
      sPiMagPi += (double) dm * e.pi[a];
      float dPi = dm * p.scale[j] + dg;                           // pi feeds both paths
      sDPi += dPi;
      sG += e.g[a];
      // dW_dec[j] += f dxh (MSE path) + g ds (live aux, SAELENS only).
      float fa = e.f[a] > 0f ? e.f[a] : 0f;
      float ga = p.detachAux ? 0f : e.g[a];
      if (q < grouped) {
        int k = (q - lo) & 3;
        rows4[k] = bo;
        dPi4[k] = dPi;
        f4[k] = fa;
        g4[k] = ga;
        if (k == 3) {
          VectorOps.axpy4(dPi4, xc, rows4, panel, po, n);
          VectorOps.axpy4(f4, dxh, rows4, sums.gradWDec, off, n);
          if (!p.detachAux) {
            VectorOps.axpy4(g4, ds, rows4, sums.gradWDec, off, n);
          }
        }
        continue;
      }
      VectorOps.axpy(dPi, xc, bo, panel, po, n);
      if (fa != 0f && ga != 0f) {
        VectorOps.axpy2into(fa, dxh, ga, ds, bo, sums.gradWDec, off, n);
      } else if (fa != 0f) {
        VectorOps.axpy(fa, dxh, bo, sums.gradWDec, off, n);
      } else if (ga != 0f) {
        VectorOps.axpy(ga, ds, bo, sums.gradWDec, off, n);
      }
    }
    sums.gBMag[j] += sBMag;
    sums.gBGate[j] += sBGate;
    sums.gPiMagPi[j] += sPiMagPi;
    sums.colDPi[j] += sDPi;
    sums.gSum[j] += sG;
  }

  /**
   * Adds everything accumulated into the gradient sum (the W_dec sums are already there) and
   * returns the loss sums of the chunks processed.
   */
  LossSums finish() {
    int n = p.n;
    int m = p.m;
    if (dense != null) {
      dense.addInto(sums.gradWEnc, sums.gradWDec);
    }
    float[] bGateG = gradSum.bGate().floatView();
    float[] rMagG = gradSum.rMag().floatView();
    float[] bMagG = gradSum.bMag().floatView();
    float[] wDecG = sums.gradWDec;
    float[] bDecG = gradSum.bDec().floatView();
    Parallel.run(threads, t -> {
      for (int j = Parallel.split(m, threads, t); j < Parallel.split(m, threads, t + 1); j++) {
        bGateG[j] += (float) sums.gBGate[j];
        rMagG[j] += (float) (sums.gPiMagPi[j] * p.scale[j]);
        bMagG[j] += (float) sums.gBMag[j];
        // L1 through the decoder norms: lambda * sum_b g_j * w_j / ||w_j||.
        float c = p.norms[j] > 0 ? (float) (p.lambda * sums.gSum[j] / p.norms[j]) : 0f;
        if (c != 0f) {
          int off = j * n;
          for (int i = 0; i < n; i++) {
            wDecG[off + i] += c * p.wDec[off + i];
          }
        }
      }
    });
    // x_c = x - b_dec: dL/db_dec gets -(sum_b dL/dpi) W_enc^T, a float32 product (as torch's
    // autograd computes it) on SIMD lanes.
    float[] colDPi = new float[m];
    for (int j = 0; j < m; j++) {
      colDPi[j] = (float) sums.colDPi[j];
    }
    Parallel.run(threads, t -> {
      for (int i = Parallel.split(n, threads, t); i < Parallel.split(n, threads, t + 1); i++) {
        bDecG[i] += (float) (sums.gBDec[i] - VectorOps.dot(p.wEnc, i * m, colDPi, 0, m));
      }
    });
    return new LossSums(sums.mse, sums.l1, sums.aux, sums.l0, sums.rows);
  }

  @Override
  public void close() {
    product.release();
    s.release();
  }
}
