package org.gsae.core.train;

import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;

/**
 * One shard's values of the six tensors ({@link ShardLayout}): for tensor i the float32 array
 * of its values {@code [from(s, i), from(s, i) + length(s, i))}. The same type carries a
 * shard of the parameters, of a gradient and of each Adam moment. Not thread-safe.
 */
public final class Shard {
  private final int dIn;
  private final float[][] segments;

  private Shard(int dIn, float[][] segments) {
    this.dIn = dIn;
    this.segments = segments;
  }

  /** Zeros shaped like shard {@code shard} of {@code layout}. */
  public static Shard zeros(ShardLayout layout, int shard) {
    float[][] seg = new float[SaeParameters.NAMES.size()][];
    for (int i = 0; i < seg.length; i++) {
      seg[i] = new float[layout.length(shard, i)];
    }
    return new Shard(layout.dIn(), seg);
  }

  /** Shard {@code shard} of {@code p}, copied. */
  public static Shard copyOf(SaeParameters p, ShardLayout layout, int shard) {
    float[][] seg = new float[SaeParameters.NAMES.size()][];
    for (int i = 0; i < seg.length; i++) {
      int from = (int) layout.from(shard, i);
      seg[i] = java.util.Arrays.copyOfRange(p.tensors().get(i).floatView(), from,
          from + layout.length(shard, i));
    }
    return new Shard(layout.dIn(), seg);
  }

  /** All of {@code p} as the one shard of a one-shard layout, not copied: updates write {@code p}. */
  public static Shard view(SaeParameters p) {
    float[][] seg = new float[SaeParameters.NAMES.size()][];
    for (int i = 0; i < seg.length; i++) {
      seg[i] = p.tensors().get(i).floatView();
    }
    return new Shard(p.dIn(), seg);
  }

  /** Wraps segments given in {@link SaeParameters#NAMES} order (not copied). */
  public static Shard of(int dIn, float[][] segments) {
    if (segments.length != SaeParameters.NAMES.size()) {
      throw new IllegalArgumentException("a shard has 6 segments, got " + segments.length);
    }
    if (segments[4].length % dIn != 0) {
      throw new IllegalArgumentException("W_dec segment of " + segments[4].length
          + " values is not whole rows of d_in=" + dIn);
    }
    return new Shard(dIn, segments.clone());
  }

  /** The values of tensor {@code tensor} (index in {@link SaeParameters#NAMES}), not a copy. */
  public float[] segment(int tensor) {
    return segments[tensor];
  }

  /** Tensor {@code tensor}'s segment as a tensor over the same array ({@code W_dec} as [rows, d_in]); null when empty. */
  Tensor tensor(int tensor) {
    float[] a = segments[tensor];
    if (a.length == 0) {
      return null;
    }
    return tensor == 4 ? Tensor.wrap(a, a.length / dIn, dIn) : Tensor.wrap(a, a.length);
  }

  /** {@code this += o} (same layout and shard), value by value; returns this. */
  public Shard addInPlace(Shard o) {
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].length != o.segments[i].length) {
        throw new IllegalArgumentException("segment " + SaeParameters.NAMES.get(i) + " has "
            + segments[i].length + " values, the other shard's " + o.segments[i].length);
      }
      Tensor t = tensor(i);
      if (t != null) {
        t.addInPlace(o.tensor(i));
      }
    }
    return this;
  }

  /** Every value times {@code (float) k}, in place; returns this. */
  public Shard scaleInPlace(double k) {
    for (int i = 0; i < segments.length; i++) {
      Tensor t = tensor(i);
      if (t != null) {
        t.scaleInPlace(k);
      }
    }
    return this;
  }

  /** Number of values. */
  public long values() {
    long n = 0;
    for (float[] a : segments) {
      n += a.length;
    }
    return n;
  }
}
