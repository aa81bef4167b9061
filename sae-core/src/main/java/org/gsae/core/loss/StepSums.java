package org.gsae.core.loss;

/**
 * Loss and gradient sums of one step, accumulated chunk by chunk by the sparse and the dense
 * path; the weight-gradient sums go straight into the caller's arrays (no copy), the rest is
 * added into the caller's gradient sum once by {@link SparseGatedKernel#finish}.
 */
final class StepSums {
  final float[] gradWEnc;   // dL/dW_enc [n, m]: the caller's gradient sum, added into in place
  final float[] gradWDec;   // dL/dW_dec [m, n]: likewise
  final double[] gBGate;    // [m]
  final double[] gPiMagPi;  // sum_b dpi_mag * pi [m], times exp(r_mag) at the end
  final double[] gBMag;     // [m]
  final double[] colDPi;    // sum_b dL/dpi [m], for the b_dec term through x_c
  final double[] gSum;      // sum_b relu(pi_gate) [m], for the L1 norm gradient
  final double[] gBDec;     // [n]
  double mse;
  double l1;
  double aux;
  double l0;
  long rows;

  StepSums(int n, int m, float[] gradWEncSum, float[] gradWDecSum) {
    gradWEnc = gradWEncSum;
    gradWDec = gradWDecSum;
    gBGate = new double[m];
    gPiMagPi = new double[m];
    gBMag = new double[m];
    colDPi = new double[m];
    gSum = new double[m];
    gBDec = new double[n];
  }

  /**
   * Adds the per-row terms of a chunk in row order (so the sums do not depend on how the rows
   * were split among threads) and the b_dec gradient {@code sum_b dxh (+ ds)}.
   */
  void addRows(int count, RowTerms t, float[] dxh, float[] ds, boolean detachAux, float alpha,
      float lambda, int n) {
    for (int b = 0; b < count; b++) {
      mse += t.mse[b];
      aux += alpha * t.aux[b];
      l1 += lambda * t.l1[b];
      l0 += t.l0[b];
      int bo = b * n;
      for (int i = 0; i < n; i++) {
        gBDec[i] += detachAux ? dxh[bo + i] : dxh[bo + i] + ds[bo + i];
      }
    }
    rows += count;
  }
}
