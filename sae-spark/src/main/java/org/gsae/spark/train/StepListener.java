package org.gsae.spark.train;

import org.gsae.core.train.StepMetrics;

/** Called on the driver after every step (and after any checkpoint of that step). */
@FunctionalInterface
public interface StepListener {
  void afterStep(StepMetrics metrics, boolean checkpointed);

  StepListener NONE = (m, c) -> {};
}
