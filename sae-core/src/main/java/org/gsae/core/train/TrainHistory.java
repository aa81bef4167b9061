package org.gsae.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The per-step metrics of a training run, in step order. */
public final class TrainHistory {
  private final List<StepMetrics> steps = new ArrayList<>();

  void add(StepMetrics m) {
    steps.add(m);
  }

  /** Every step's metrics, oldest first (unmodifiable). */
  public List<StepMetrics> steps() {
    return Collections.unmodifiableList(steps);
  }

  public int size() {
    return steps.size();
  }

  /** Metrics of the last step; throws when no step was taken. */
  public StepMetrics last() {
    if (steps.isEmpty()) {
      throw new IllegalStateException("no training step was taken");
    }
    return steps.get(steps.size() - 1);
  }
}
