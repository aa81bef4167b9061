package org.gsae.core.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 array with its row-major shape, of any rank: the plain-Java form of one named
 * tensor in a safetensors file (for example an Adam moment {@code adam.v.W_enc [d_in, d_sae]}).
 * The arrays are not copied (they can be as large as the model); do not modify them after
 * handing them over. Equality compares shapes and the exact bits of the values.
 *
 * @param shape  dimensions, each >= 0 (empty for a scalar)
 * @param values {@code prod(shape)} values, row-major
 */
public record ShapedFloats(long[] shape, float[] values) {

  public ShapedFloats {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(values, "values");
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
          + " values, got " + values.length);
    }
  }

  /** A rank-1 tensor {@code [values.length]}. */
  public static ShapedFloats vector(float[] values) {
    return new ShapedFloats(new long[] {values.length}, values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShapedFloats s && Arrays.equals(shape, s.shape)
        && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "ShapedFloats" + Arrays.toString(shape);
  }
}
