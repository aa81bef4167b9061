package org.gsae.core.train;

import java.io.Serializable;
import org.gsae.core.loss.LossSums;

/**
 * What one optimiser step measured, all as means over the global batch.
 *
 * @param step     1-based index of the step just taken
 * @param mse      {@code L_rec}
 * @param l1       {@code L_sp} (with the step's lambda)
 * @param aux      {@code L_aux}
 * @param total    {@code L}
 * @param l0       mean number of active features per row
 * @param lr       learning rate used
 * @param lambda   sparsity coefficient used
 * @param gradNorm global L2 norm of the mean gradient before clipping
 * @param rows     rows in the global batch
 */
public record StepMetrics(long step, double mse, double l1, double aux, double total, double l0,
    double lr, double lambda, double gradNorm, long rows) implements Serializable {

  public static StepMetrics of(long step, LossSums s, double lr, double lambda, double gradNorm) {
    return new StepMetrics(step, s.meanMse(), s.meanL1(), s.meanAux(), s.meanTotal(), s.meanL0(),
        lr, lambda, gradNorm, s.rows());
  }
}
