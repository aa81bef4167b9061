package org.gsae.core.loss;

import java.util.Arrays;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.EncoderProduct;
import org.gsae.core.tensor.VectorOps;

/**
 * The float32 training step of {@link GatedLoss}, computed over the active (row, feature)
 * pairs only (DESIGN §2, "where the work is"). After the one dense encoder product
 * {@code pi = x_c W_enc}, every other quantity lives on the support of the gate:
 * {@code f} and {@code relu(pi_gate)} are zero where the gate is closed, and so is every
 * gradient of the encoder pre-activations. Per row with L0 active features this costs
 * O(L0 * n) instead of O(m * n) for the decoder products and the whole backward pass.
 * Chunks whose open-gate fraction is high go to {@link DenseGatedChunk} (GEMMs) instead.
 *
 * <p>Same math as {@link GatedLoss#evaluate} (the reference implementation, which also runs
 * in float64 for the checks); results agree to float32 rounding. Sums (not means) are
 * accumulated into a flat gradient in {@link SaeParameters#toFlat()} order.
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
  private final StepSums sums;
  private final int threads;
  private final double denseAbove;
  private final EncoderProduct product;
  private final Worker[] workers;
  private DenseGatedChunk dense;

  // The current chunk.
  private float[] xcChunk;   // x - b_dec [count, n]
  private float[] dxhC;      // 2 (x_hat - x) [count, n]
  private float[] dsC;       // 2 alpha (x_gate - x) [count, n]
  private RowTerms rowTerms;
  private long lastActive;

  // The chunk's active pairs in row order (feature, row, pi, relu(pi_gate), f), bucketed by feature.
  private int[] eJ = new int[0];
  private int[] eB = new int[0];
  private float[] ePi = new float[0];
  private float[] eG = new float[0];
  private float[] eF = new float[0];
  private int[] order = new int[0];
  private final int[] featureStart;
  private final int[] cursor;

  /** Per-thread scratch and the active pairs that thread collected. */
  private static final class Worker {
    final float[] piRow;
    final float[] xh;
    final float[] xg;
    final float[] pair = new float[2];
    final int[] open;          // open gates of one row
    int[] rowStart = new int[0];   // first pair of each row of this worker's slice, and the end
    int[] eJ = new int[1024];
    int[] eB = new int[1024];
    float[] ePi = new float[1024];
    float[] eG = new float[1024];
    float[] eF = new float[1024];
    int e;
    long openCount;
    boolean overBudget;

    Worker(int n, int m) {
      piRow = new float[m];
      open = new int[m];
      xh = new float[n];
      xg = new float[n];
    }

    void add(int j, int b, float pi, float g, float f) {
      if (e == eJ.length) {
        int cap = eJ.length * 2;
        eJ = Arrays.copyOf(eJ, cap);
        eB = Arrays.copyOf(eB, cap);
        ePi = Arrays.copyOf(ePi, cap);
        eG = Arrays.copyOf(eG, cap);
        eF = Arrays.copyOf(eF, cap);
      }
      eJ[e] = j;
      eB[e] = b;
      ePi[e] = pi;
      eG[e] = g;
      eF[e] = f;
      e++;
    }
  }

  SparseGatedKernel(SaeParameters params, GatedLoss loss, double lambda, int threads) {
    this.p = new StepParams(params, loss, lambda);
    this.sums = new StepSums(p.n, p.m);
    this.threads = threads;
    this.denseAbove = loss.denseAbove();
    this.product = EncoderProduct.acquire(p.n, p.m);
    product.setWeights(p.wEnc);
    this.workers = new Worker[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Worker(p.n, p.m);
    }
    featureStart = new int[p.m + 1];
    cursor = new int[p.m];
  }

  /** Centres the chunk, runs the encoder GEMM and counts its open gates ({@link #activeFraction}). */
  void piForChunk(float[] rowsData, int from, int count) {
    int n = p.n;
    int m = p.m;
    if (xcChunk == null || xcChunk.length < count * n) {
      xcChunk = new float[count * n];
      dxhC = new float[count * n];
      dsC = new float[count * n];
      rowTerms = new RowTerms(count);
    }
    for (int b = 0; b < count; b++) {
      int src = (from + b) * n;
      int dst = b * n;
      for (int i = 0; i < n; i++) {
        xcChunk[dst + i] = rowsData[src + i] - p.bDec[i];
      }
    }
    product.multiply(xcChunk, count);
    long budget = (long) (denseAbove * count * (double) p.m);
    int parts = Math.min(threads, count);
    Parallel.run(parts, t -> scanRows(workers[t], Parallel.split(count, parts, t),
        Parallel.split(count, parts, t + 1), budget));
    lastActive = 0;
    for (int t = 0; t < parts; t++) {
      lastActive += workers[t].openCount;
    }
  }

  /**
   * Reads rows [b0, b1) of the encoder product once: counts their open gates and collects the
   * active pairs, unless this slice alone passes the dense budget (then the chunk goes dense
   * and the pairs are not needed: the total passes it too; if the total does not, no slice did).
   */
  private void scanRows(Worker w, int b0, int b1, long budget) {
    int m = p.m;
    if (w.rowStart.length < b1 - b0 + 1) {
      w.rowStart = new int[b1 - b0 + 1];
    }
    w.e = 0;
    w.openCount = 0;
    w.overBudget = false;
    for (int b = b0; b < b1; b++) {
      product.row(b, w.piRow);
      int k = VectorOps.openGates(w.piRow, p.bGate, m, w.open);
      w.openCount += k;
      w.rowStart[b - b0] = w.e;
      if (w.overBudget || w.e + (long) k > budget) {
        w.overBudget = true;
        continue;
      }
      for (int q = 0; q < k; q++) {
        int j = w.open[q];
        float v = w.piRow[j];
        float pm = p.scale[j] * v + p.bMag[j];
        w.add(j, b, v, v + p.bGate[j], pm > 0 ? pm : 0f);
      }
    }
    w.rowStart[b1 - b0] = w.e;
  }

  /** Fraction of open gates in the chunk last passed to {@link #piForChunk}. */
  double activeFraction(int count) {
    return (double) lastActive / ((double) count * p.m);
  }

  /** Accumulates the chunk last passed to {@link #piForChunk} with dense GEMMs. */
  void accumulateDense(float[] rowsData, int from, int count) {
    if (dense == null) {
      dense = new DenseGatedChunk(p, sums, threads);
    }
    dense.accumulate(product, xcChunk, rowsData, from, count);
  }

  /**
   * Accumulates loss and gradient sums of the chunk last passed to {@link #piForChunk}, in two
   * phases. Forward, rows split among threads: the gate support, both reconstructions and the
   * residual gradients {@code dxh}, {@code ds} of every row. Backward, features split among
   * threads: the chunk's active pairs are bucketed by feature, so {@code W_dec[j]} and the
   * gradient rows {@code dW_enc[:, j]}, {@code dW_dec[j]} stay in cache across all rows where
   * feature j is active (row-major order would touch those three n-long rows once per pair).
   */
  void accumulateChunk(float[] rowsData, int from, int count) {
    int parts = Math.min(threads, count);
    Parallel.run(parts, t -> forwardRows(workers[t], rowsData, from,
        Parallel.split(count, parts, t), Parallel.split(count, parts, t + 1)));
    int entries = gatherEntries(parts);
    bucketByFeature(entries);
    int[] bounds = featureBounds(entries);
    Parallel.run(threads, t -> backward(workers[t], bounds[t], bounds[t + 1]));
    sums.addRows(count, rowTerms, dxhC, dsC, p.detachAux, p.alpha, p.lambda, p.n);
  }

  private void forwardRows(Worker w, float[] x, int from, int b0, int b1) {
    for (int b = b0; b < b1; b++) {
      forwardRow(w, x, (from + b) * p.n, b, w.rowStart[b - b0], w.rowStart[b - b0 + 1]);
    }
  }

  private void forwardRow(Worker w, float[] x, int xOff, int b, int first, int end) {
    int n = p.n;
    float[] xh = w.xh;
    float[] xg = w.xg;
    System.arraycopy(p.bDec, 0, xh, 0, n);
    System.arraycopy(p.bDec, 0, xg, 0, n);
    double l1Row = 0;
    int l0Row = 0;
    for (int a = first; a < end; a++) {
      int off = w.eJ[a] * n;
      if (w.eF[a] != 0f) {
        VectorOps.axpy2(w.eF[a], w.eG[a], p.wDec, off, xh, xg, n);   // both reconstructions, one read
        l0Row++;
      } else {
        VectorOps.axpy(w.eG[a], p.wDec, off, xg, 0, n);
      }
      l1Row += (double) w.eG[a] * p.norms[w.eJ[a]];
    }
    float twoAlpha = 2f * p.alpha;
    double mseRow = 0;
    double auxRow = 0;
    int bo = b * n;
    for (int i = 0; i < n; i++) {
      float r = xh[i] - x[xOff + i];
      float s = xg[i] - x[xOff + i];
      mseRow += (double) r * r;
      auxRow += (double) s * s;
      dxhC[bo + i] = 2f * r;
      dsC[bo + i] = twoAlpha * s;
    }
    rowTerms.mse[b] = mseRow;
    rowTerms.aux[b] = auxRow;
    rowTerms.l1[b] = l1Row;
    rowTerms.l0[b] = l0Row;
  }

  /** Concatenates the workers' pairs in worker (= row) order; returns their number. */
  private int gatherEntries(int parts) {
    int entries = 0;
    for (int t = 0; t < parts; t++) {
      entries += workers[t].e;
    }
    if (eJ.length < entries) {
      int cap = Math.max(entries, eJ.length * 2);
      eJ = new int[cap];
      eB = new int[cap];
      ePi = new float[cap];
      eG = new float[cap];
      eF = new float[cap];
      order = new int[cap];
    }
    int at = 0;
    for (int t = 0; t < parts; t++) {
      Worker w = workers[t];
      System.arraycopy(w.eJ, 0, eJ, at, w.e);
      System.arraycopy(w.eB, 0, eB, at, w.e);
      System.arraycopy(w.ePi, 0, ePi, at, w.e);
      System.arraycopy(w.eG, 0, eG, at, w.e);
      System.arraycopy(w.eF, 0, eF, at, w.e);
      at += w.e;
    }
    return entries;
  }

  /** Counting sort of the pairs by feature; within a feature, rows stay in order. */
  private void bucketByFeature(int entries) {
    int m = p.m;
    Arrays.fill(featureStart, 0);
    for (int a = 0; a < entries; a++) {
      featureStart[eJ[a] + 1]++;
    }
    for (int j = 0; j < m; j++) {
      featureStart[j + 1] += featureStart[j];
    }
    System.arraycopy(featureStart, 0, cursor, 0, m);
    for (int a = 0; a < entries; a++) {
      order[cursor[eJ[a]]++] = a;
    }
  }

  /** Feature ranges with about equal numbers of pairs, one per thread: [bounds[t], bounds[t+1]). */
  private int[] featureBounds(int entries) {
    int[] bounds = new int[threads + 1];
    int j = 0;
    for (int t = 1; t < threads; t++) {
      long target = (long) entries * t / threads;
      while (j < p.m && featureStart[j] < target) {
        j++;
      }
      bounds[t] = j;
    }
    bounds[threads] = p.m;
    return bounds;
  }

  private void backward(Worker w, int j0, int j1) {
    int n = p.n;
    float[] pair = w.pair;
    for (int j = j0; j < j1; j++) {
      int lo = featureStart[j];
      int hi = featureStart[j + 1];
      if (lo == hi) {
        continue;
      }
      int off = j * n;
      float ln = p.lambda * p.norms[j];
      double sBMag = 0;
      double sBGate = 0;
      double sPiMagPi = 0;
      double sDPi = 0;
      double sG = 0;
      for (int q = lo; q < hi; q++) {
        int a = order[q];
        int bo = eB[a] * n;
        boolean fires = eF[a] > 0f;
        float dm;
        float dg;
        if (fires) {
          VectorOps.dot2(dxhC, dsC, bo, p.wDec, off, n, pair);
          dm = pair[0];
          dg = pair[1] + ln;
        } else {
          dm = 0f;
          dg = VectorOps.dot(dsC, bo, p.wDec, off, n) + ln;
        }
        sBMag += dm;
        sBGate += dg;
        sPiMagPi += (double) dm * ePi[a];
        float dPi = dm * p.scale[j] + dg;                           // pi feeds both paths
        sDPi += dPi;
        sG += eG[a];
        VectorOps.axpy(dPi, xcChunk, bo, sums.gWEncT, off, n);
        // dW_dec[j] += f dxh (MSE path) + g ds (live aux, SAELENS only), in one pass.
        float fa = fires ? eF[a] : 0f;
        float ga = p.detachAux ? 0f : eG[a];
        if (fa != 0f && ga != 0f) {
          VectorOps.axpy2into(fa, dxhC, ga, dsC, bo, sums.gradWDec, off, n);
        } else if (fa != 0f) {
          VectorOps.axpy(fa, dxhC, bo, sums.gradWDec, off, n);
        } else if (ga != 0f) {
          VectorOps.axpy(ga, dsC, bo, sums.gradWDec, off, n);
        }
      }
      sums.gBMag[j] += sBMag;
      sums.gBGate[j] += sBGate;
      sums.gPiMagPi[j] += sPiMagPi;
      sums.colDPi[j] += sDPi;
      sums.gSum[j] += sG;
    }
  }

  /**
   * Adds everything accumulated into {@code flat} (a gradient sum in
   * {@link SaeParameters#toFlat()} order) and returns the loss sums of the chunks processed.
   */
  LossSums finish(float[] flat) {
    int n = p.n;
    int m = p.m;
    if (dense != null) {
      dense.addInto(sums);
    }
    int oWEnc = 0;
    int oBGate = n * m;
    int oRMag = oBGate + m;
    int oBMag = oRMag + m;
    int oWDec = oBMag + m;
    int oBDec = oWDec + m * n;
    final int blk = 64;
    int blocks = (m + blk - 1) / blk;
    Parallel.run(threads, t -> {
      int jb0 = Parallel.split(blocks, threads, t) * blk;
      int jb1 = Math.min(m, Parallel.split(blocks, threads, t + 1) * blk);
      // W_enc [n, m] += gWEncT^T, blocked for cache reuse; columns [jb0, jb1) are this thread's.
      for (int j0 = jb0; j0 < jb1; j0 += blk) {
        int j1 = Math.min(jb1, j0 + blk);
        for (int i0 = 0; i0 < n; i0 += blk) {
          int i1 = Math.min(n, i0 + blk);
          for (int j = j0; j < j1; j++) {
            for (int i = i0; i < i1; i++) {
              flat[oWEnc + i * m + j] += sums.gWEncT[j * n + i];
            }
          }
        }
      }
      for (int j = jb0; j < jb1; j++) {
        flat[oBGate + j] += (float) sums.gBGate[j];
        flat[oRMag + j] += (float) (sums.gPiMagPi[j] * p.scale[j]);
        flat[oBMag + j] += (float) sums.gBMag[j];
        // L1 through the decoder norms: lambda * sum_b g_j * w_j / ||w_j||.
        float c = p.norms[j] > 0 ? (float) (p.lambda * sums.gSum[j] / p.norms[j]) : 0f;
        int off = j * n;
        for (int i = 0; i < n; i++) {
          flat[oWDec + off + i] += sums.gradWDec[off + i] + c * p.wDec[off + i];
        }
      }
    });
    // x_c = x - b_dec: dL/db_dec gets -(sum_b dL/dpi) W_enc^T.
    Parallel.run(threads, t -> {
      for (int i = Parallel.split(n, threads, t); i < Parallel.split(n, threads, t + 1); i++) {
        double s = 0;
        int row = i * m;
        for (int j = 0; j < m; j++) {
          s += p.wEnc[row + j] * sums.colDPi[j];
        }
        flat[oBDec + i] += (float) (sums.gBDec[i] - s);
      }
    });
    return new LossSums(sums.mse, sums.l1, sums.aux, sums.l0, sums.rows);
  }

  @Override
  public void close() {
    product.release();
    if (dense != null) {
      dense.close();
    }
  }
}
