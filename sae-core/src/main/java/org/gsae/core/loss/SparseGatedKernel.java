package org.gsae.core.loss;

import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.EncoderProduct;

/**
 * The float32 training step of {@link GatedLoss}, computed over the active (row, feature)
 * pairs only (DESIGN §2, "where the work is"). After the one dense encoder product
 * {@code pi = x_c W_enc}, every other quantity lives on the support of the gate:
 * {@code f} and {@code relu(pi_gate)} are zero where the gate is closed, and so is every
 * gradient of the encoder pre-activations. Per row with L0 active features this costs
 * O(L0 * n) instead of O(m * n) for the decoder products and the whole backward pass.
 *
 * <p>Same math as {@link GatedLoss#evaluate} (the reference implementation, which also runs
 * in float64 for the checks); results agree to float32 rounding. Sums (not means) are
 * accumulated into a flat gradient in {@link SaeParameters#toFlat()} order.
 *
 * <p>One instance per thread: it holds the parameters as plain arrays, the resident encoder
 * weights and per-row scratch. Call order: construct (per step) → {@link #piForChunk} →
 * {@link #activeFraction} → {@link #accumulateChunk} (any number of chunks) → {@link #finish}.
 */
final class SparseGatedKernel implements AutoCloseable {
  private final int n;
  private final int m;
  private final boolean detachAux;
  private final float alpha;
  private final float lambda;
  private final float[] wEnc;
  private final float[] bGate;
  private final float[] bMag;
  private final float[] wDec;
  private final float[] bDec;
  private final float[] scale;      // exp(r_mag) [m]
  private final float[] norms;      // ||W_dec[j]|| [m]
  private final EncoderProduct product;

  // Accumulated over chunks (finished into the flat gradient once).
  private final float[] gWEncT;     // dL/dW_enc transposed: [m, n], row j = feature j
  private final float[] gradWDec;   // dL/dW_dec from the MSE (and live aux) path [m, n]
  private final double[] gBGate;
  private final double[] gPiMagPi;  // sum_b dpi_mag * pi, times exp(r_mag) at the end
  private final double[] gBMag;
  private final double[] colDPi;    // sum_b dL/dpi, for the b_dec term through x_c
  private final double[] gSum;      // sum_b relu(pi_gate), for the L1 norm gradient
  private final double[] gBDec;
  private double mse;
  private double l1;
  private double aux;
  private double l0;
  private long rows;

  // Per-row scratch.
  private final float[] piRow;
  private final float[] xh;
  private final float[] xg;
  private final float[] pair = new float[2];
  private int[] eJ;          // active pairs of the chunk: feature, row, pi, relu(pi_gate), f
  private int[] eB;
  private float[] ePi;
  private float[] eG;
  private float[] eF;
  private int[] order;
  private final int[] featureStart;
  private final int[] cursor;
  private float[] dxhC;      // 2 (x_hat - x) for every row of the chunk [count, n]
  private float[] dsC;       // 2 alpha (x_gate - x) [count, n]
  private float[] xcChunk;
  private int lastActive;

  SparseGatedKernel(SaeParameters p, GatedLoss loss, double lambda) {
    this.n = p.dIn();
    this.m = p.dSae();
    this.detachAux = loss.variant().detachAux();
    this.alpha = (float) loss.auxCoefficient();
    this.lambda = (float) lambda;
    this.wEnc = p.wEnc().toFloatArray();
    this.bGate = p.bGate().toFloatArray();
    this.bMag = p.bMag().toFloatArray();
    this.wDec = p.wDec().toFloatArray();
    this.bDec = p.bDec().toFloatArray();
    this.scale = p.rMag().exp().toFloatArray();
    this.norms = p.wDec().rowNorms().toFloatArray();
    this.product = new EncoderProduct(n, m);
    product.setWeights(wEnc);
    gWEncT = new float[m * n];
    gradWDec = new float[m * n];
    gBGate = new double[m];
    gPiMagPi = new double[m];
    gBMag = new double[m];
    colDPi = new double[m];
    gSum = new double[m];
    gBDec = new double[n];
    piRow = new float[m];
    xh = new float[n];
    xg = new float[n];
    eJ = new int[1024];
    eB = new int[1024];
    ePi = new float[1024];
    eG = new float[1024];
    eF = new float[1024];
    order = new int[1024];
    featureStart = new int[m + 1];
    cursor = new int[m];
  }

  /** Centres the chunk and runs the encoder GEMM; returns nothing, see {@link #activeFraction}. */
  void piForChunk(float[] rowsData, int from, int count) {
    if (xcChunk == null || xcChunk.length < count * n) {
      xcChunk = new float[count * n];
    }
    for (int b = 0; b < count; b++) {
      int src = (from + b) * n;
      int dst = b * n;
      for (int i = 0; i < n; i++) {
        xcChunk[dst + i] = rowsData[src + i] - bDec[i];
      }
    }
    product.multiply(xcChunk, count);
    long open = 0;
    for (int b = 0; b < count; b++) {
      product.row(b, piRow);
      for (int j = 0; j < m; j++) {
        if (piRow[j] + bGate[j] > 0) {
          open++;
        }
      }
    }
    lastActive = (int) Math.min(Integer.MAX_VALUE, open);
  }

  /** Fraction of open gates in the chunk last passed to {@link #piForChunk}. */
  double activeFraction(int count) {
    return (double) lastActive / ((double) count * m);
  }

  /**
   * Accumulates loss and gradient sums of the chunk last passed to {@link #piForChunk}, in two
   * phases. Forward, row by row: the gate support, both reconstructions and the residual
   * gradients {@code dxh}, {@code ds} of every row. Backward, feature by feature: the chunk's
   * active pairs are bucketed by feature, so {@code W_dec[j]} and the gradient rows
   * {@code dW_enc[:, j]}, {@code dW_dec[j]} stay in cache across all rows where feature j is
   * active (row-major order would touch those three n-long rows once per active pair).
   */
  void accumulateChunk(float[] rowsData, int from, int count) {
    if (dxhC == null || dxhC.length < count * n) {
      dxhC = new float[count * n];
      dsC = new float[count * n];
    }
    int e = 0;
    for (int b = 0; b < count; b++) {
      product.row(b, piRow);
      int first = e;
      for (int j = 0; j < m; j++) {
        float v = piRow[j];
        float pg = v + bGate[j];
        if (pg > 0) {
          if (e == eJ.length) {
            growEntries();
          }
          float pm = scale[j] * v + bMag[j];
          eJ[e] = j;
          eB[e] = b;
          ePi[e] = v;
          eG[e] = pg;
          eF[e] = pm > 0 ? pm : 0f;
          e++;
        }
      }
      forwardRow(rowsData, (from + b) * n, b * n, first, e);
    }
    backwardByFeature(e);
    rows += count;
  }

  private void forwardRow(float[] x, int xOff, int bo, int first, int end) {
    System.arraycopy(bDec, 0, xh, 0, n);
    System.arraycopy(bDec, 0, xg, 0, n);
    double l1Row = 0;
    for (int a = first; a < end; a++) {
      int off = eJ[a] * n;
      if (eF[a] != 0f) {
        axpy2(eF[a], eG[a], wDec, off, xh, xg, n);   // both reconstructions, one read of W_dec[j]
        l0++;
      } else {
        axpy(eG[a], wDec, off, xg, 0, n);
      }
      l1Row += (double) eG[a] * norms[eJ[a]];
    }
    l1 += lambda * l1Row;
    float twoAlpha = 2f * alpha;
    double mseRow = 0;
    double auxRow = 0;
    for (int i = 0; i < n; i++) {
      float r = xh[i] - x[xOff + i];
      float s = xg[i] - x[xOff + i];
      mseRow += (double) r * r;
      auxRow += (double) s * s;
      float d1 = 2f * r;
      float d2 = twoAlpha * s;
      dxhC[bo + i] = d1;
      dsC[bo + i] = d2;
      gBDec[i] += detachAux ? d1 : d1 + d2;
    }
    mse += mseRow;
    aux += alpha * auxRow;
  }

  private void backwardByFeature(int entries) {
    // Counting sort of the entries by feature; within a feature, rows stay in order.
    java.util.Arrays.fill(featureStart, 0);
    for (int a = 0; a < entries; a++) {
      featureStart[eJ[a] + 1]++;
    }
    for (int j = 0; j < m; j++) {
      featureStart[j + 1] += featureStart[j];
    }
    if (order.length < entries) {
      order = new int[eJ.length];
    }
    System.arraycopy(featureStart, 0, cursor, 0, m);
    for (int a = 0; a < entries; a++) {
      order[cursor[eJ[a]]++] = a;
    }
    for (int j = 0; j < m; j++) {
      int lo = featureStart[j];
      int hi = featureStart[j + 1];
      if (lo == hi) {
        continue;
      }
      int off = j * n;
      float ln = lambda * norms[j];
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
          dot2(dxhC, dsC, bo, wDec, off, n, pair);
          dm = pair[0];
          dg = pair[1] + ln;
        } else {
          dm = 0f;
          dg = dot(dsC, bo, wDec, off, n) + ln;
        }
        sBMag += dm;
        sBGate += dg;
        sPiMagPi += (double) dm * ePi[a];
        float dPi = dm * scale[j] + dg;                             // pi feeds both paths
        sDPi += dPi;
        sG += eG[a];
        axpy(dPi, xcChunk, bo, gWEncT, off, n);
        // dW_dec[j] += f dxh (MSE path) + g ds (live aux, SAELENS only), in one pass.
        float fa = fires ? eF[a] : 0f;
        float ga = detachAux ? 0f : eG[a];
        if (fa != 0f && ga != 0f) {
          axpy2into(fa, dxhC, ga, dsC, bo, gradWDec, off, n);
        } else if (fa != 0f) {
          axpy(fa, dxhC, bo, gradWDec, off, n);
        } else if (ga != 0f) {
          axpy(ga, dsC, bo, gradWDec, off, n);
        }
      }
      gBMag[j] += sBMag;
      gBGate[j] += sBGate;
      gPiMagPi[j] += sPiMagPi;
      colDPi[j] += sDPi;
      gSum[j] += sG;
    }
  }

  /**
   * Adds everything accumulated into {@code flat} (a gradient sum in
   * {@link SaeParameters#toFlat()} order) and returns the loss sums of the chunks processed.
   */
  LossSums finish(float[] flat) {
    int oWEnc = 0;
    int oBGate = n * m;
    int oRMag = oBGate + m;
    int oBMag = oRMag + m;
    int oWDec = oBMag + m;
    int oBDec = oWDec + m * n;
    // W_enc [n, m] += gWEncT^T, blocked for cache reuse.
    final int blk = 64;
    for (int j0 = 0; j0 < m; j0 += blk) {
      int j1 = Math.min(m, j0 + blk);
      for (int i0 = 0; i0 < n; i0 += blk) {
        int i1 = Math.min(n, i0 + blk);
        for (int j = j0; j < j1; j++) {
          for (int i = i0; i < i1; i++) {
            flat[oWEnc + i * m + j] += gWEncT[j * n + i];
          }
        }
      }
    }
    for (int j = 0; j < m; j++) {
      flat[oBGate + j] += (float) gBGate[j];
      flat[oRMag + j] += (float) (gPiMagPi[j] * scale[j]);
      flat[oBMag + j] += (float) gBMag[j];
      // L1 through the decoder norms: lambda * sum_b g_j * w_j / ||w_j||.
      float c = norms[j] > 0 ? (float) (lambda * gSum[j] / norms[j]) : 0f;
      int off = j * n;
      for (int i = 0; i < n; i++) {
        flat[oWDec + off + i] += gradWDec[off + i] + c * wDec[off + i];
      }
    }
    // x_c = x - b_dec: dL/db_dec gets -(sum_b dL/dpi) W_enc^T.
    for (int i = 0; i < n; i++) {
      double s = 0;
      int row = i * m;
      for (int j = 0; j < m; j++) {
        s += wEnc[row + j] * colDPi[j];
      }
      flat[oBDec + i] += (float) (gBDec[i] - s);
    }
    return new LossSums(mse, l1, aux, l0, rows);
  }

  private void growEntries() {
    int cap = eJ.length * 2;
    eJ = java.util.Arrays.copyOf(eJ, cap);
    eB = java.util.Arrays.copyOf(eB, cap);
    ePi = java.util.Arrays.copyOf(ePi, cap);
    eG = java.util.Arrays.copyOf(eG, cap);
    eF = java.util.Arrays.copyOf(eF, cap);
  }

  /** {@code y[yo..yo+len) += a * x[xo..xo+len)}. */
  private static void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
    for (int i = 0; i < len; i++) {
      y[yo + i] += a * x[xo + i];
    }
  }

  /** {@code y1 += a1 * x[xo..]; y2 += a2 * x[xo..]} in one pass over {@code x}. */
  private static void axpy2(float a1, float a2, float[] x, int xo, float[] y1, float[] y2, int len) {
    for (int i = 0; i < len; i++) {
      float w = x[xo + i];
      y1[i] += a1 * w;
      y2[i] += a2 * w;
    }
  }

  /** {@code y[yo..] += a1 * x1 + a2 * x2} in one pass over {@code y}. */
  private static void axpy2into(float a1, float[] x1, float a2, float[] x2, int xo, float[] y, int yo,
      int len) {
    for (int i = 0; i < len; i++) {
      y[yo + i] += a1 * x1[xo + i] + a2 * x2[xo + i];
    }
  }

  /** {@code out = [v1 . w[off..], v2 . w[off..]]} in one pass over {@code w}, two partial sums each. */
  private static void dot2(float[] v1, float[] v2, int vo, float[] w, int off, int len, float[] out) {
    float a0 = 0;
    float a1 = 0;
    float b0 = 0;
    float b1 = 0;
    int i = 0;
    for (; i + 1 < len; i += 2) {
      float w0 = w[off + i];
      float w1 = w[off + i + 1];
      a0 += v1[vo + i] * w0;
      a1 += v1[vo + i + 1] * w1;
      b0 += v2[vo + i] * w0;
      b1 += v2[vo + i + 1] * w1;
    }
    for (; i < len; i++) {
      a0 += v1[vo + i] * w[off + i];
      b0 += v2[vo + i] * w[off + i];
    }
    out[0] = a0 + a1;
    out[1] = b0 + b1;
  }

  /** {@code v . w[off..off+len)} with four partial sums (the JIT does not reorder float adds). */
  private static float dot(float[] v, int vo, float[] w, int off, int len) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < len; i += 4) {
      s0 += v[vo + i] * w[off + i];
      s1 += v[vo + i + 1] * w[off + i + 1];
      s2 += v[vo + i + 2] * w[off + i + 2];
      s3 += v[vo + i + 3] * w[off + i + 3];
    }
    for (; i < len; i++) {
      s0 += v[vo + i] * w[off + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public void close() {
    product.close();
  }
}
