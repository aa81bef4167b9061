package org.gsae.core.train;

/** Shape of the learning rate after its linear warm-up. */
public enum LrSchedule {
  /** Stay at the peak learning rate. */
  CONSTANT,
  /** Cosine decay from the peak to {@code lr * lr_end_ratio} at the last step. */
  COSINE
}
