package org.gsae.core.io;

import java.util.Arrays;

/**
 * One validated tensor entry of a safetensors header.
 *
 * @param name  tensor name as written in the header
 * @param dtype element type
 * @param shape dimensions, row-major (empty for a scalar); every entry >= 0
 * @param begin first byte of the tensor, relative to the start of the data buffer
 * @param end   one past the last byte; {@code end - begin == elementCount * dtype.bytes()}
 */
public record TensorEntry(String name, SafeTensorsDType dtype, long[] shape, long begin, long end) {

  public TensorEntry {
    shape = shape.clone();
  }

  /** Product of the dimensions (1 for a scalar). Validated not to overflow when parsed. */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The shape, copied. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Whether the shape equals {@code expected}. */
  public boolean hasShape(long... expected) {
    return Arrays.equals(shape, expected);
  }

  /** The shape as {@code [8, 32]}, for messages. */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorEntry e && name.equals(e.name) && dtype == e.dtype
        && Arrays.equals(shape, e.shape) && begin == e.begin && end == e.end;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape)
        + Long.hashCode(begin) * 7 + Long.hashCode(end);
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + shapeString() + " @[" + begin + ", " + end + ")";
  }
}
