package org.gsae.core.loss;

/**
 * Per-row loss terms of one chunk (or dense block), filled by whichever thread owns the row
 * and added to {@link StepSums} in row order, so the sums do not depend on the thread count.
 */
final class RowTerms {
  final double[] mse;   // sum_i (x_hat - x)^2
  final double[] aux;   // sum_i (x_gate - x)^2
  final double[] l1;    // sum_j relu(pi_gate)_j ||W_dec[j]||
  final int[] l0;       // firing features

  RowTerms(int rows) {
    mse = new double[rows];
    aux = new double[rows];
    l1 = new double[rows];
    l0 = new int[rows];
  }
}
