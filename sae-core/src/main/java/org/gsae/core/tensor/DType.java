package org.gsae.core.tensor;

/** Element type of a {@link Tensor}: float32 for training and inference, float64 for checks. */
public enum DType {
  FLOAT32,
  FLOAT64
}
