package org.gsae.core.loss;

import java.io.Serializable;

/**
 * Loss terms summed (not averaged) over {@code rows} input rows, so that partial results
 * from several blocks or partitions merge by addition and are divided by the total row count
 * exactly once. The per-row means are the losses of docs/architecture.md §2.
 *
 * @param mse  sum over rows of {@code ||x - x_hat||^2}
 * @param l1   {@code lambda *} sum over rows of {@code sum_j relu(pi_gate)_j ||W_dec[j]||}
 * @param aux  {@code alpha *} sum over rows of {@code ||x - relu(pi_gate) W_dec - b_dec||^2}
 * @param l0   sum over rows of the number of active features ({@code f > 0})
 * @param rows number of rows summed
 */
public record LossSums(double mse, double l1, double aux, double l0, long rows)
    implements Serializable {
  public static final LossSums EMPTY = new LossSums(0, 0, 0, 0, 0);

  public LossSums merge(LossSums o) {
    return new LossSums(mse + o.mse, l1 + o.l1, aux + o.aux, l0 + o.l0, rows + o.rows);
  }

  private double perRow(double v) {
    return rows == 0 ? Double.NaN : v / rows;
  }

  /** Mean reconstruction loss {@code L_rec}. */
  public double meanMse() {
    return perRow(mse);
  }

  /** Mean sparsity loss {@code L_sp}. */
  public double meanL1() {
    return perRow(l1);
  }

  /** Mean auxiliary loss {@code L_aux}. */
  public double meanAux() {
    return perRow(aux);
  }

  /** Mean total loss {@code L = L_rec + L_sp + L_aux}. */
  public double meanTotal() {
    return perRow(mse + l1 + aux);
  }

  /** Mean number of active features per row. */
  public double meanL0() {
    return perRow(l0);
  }
}
