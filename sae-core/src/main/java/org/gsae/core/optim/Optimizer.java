package org.gsae.core.optim;

import java.util.Map;
import org.gsae.core.model.SaeParameters;

/**
 * A first-order optimiser over the six SAE tensors.
 *
 * <p>Call order: construct (state is empty) → {@link #step} any number of times →
 * optionally {@link #state()} to checkpoint and {@link #restore} on a fresh copy to resume.
 * {@link #copy()} gives the same hyperparameters with fresh state.
 */
public interface Optimizer {
  /**
   * Updates {@code params} in place from the mean gradient {@code grad} (same shapes).
   *
   * @param lr learning rate for this step (after any schedule)
   */
  void step(SaeParameters params, SaeParameters grad, double lr);

  /** Number of steps taken so far. */
  long stepCount();

  /** The optimiser state as named float32 tensors (flattened) for checkpoints. */
  Map<String, float[]> state();

  /** Restores the state written by {@link #state()} for parameters of the given size. */
  void restore(Map<String, float[]> state, long stepCount, int dIn, int dSae);

  /** Same hyperparameters, empty state. */
  Optimizer copy();
}
