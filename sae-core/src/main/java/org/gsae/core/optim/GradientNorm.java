package org.gsae.core.optim;

import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;
import org.gsae.core.tensor.VectorOps;

/**
 * The global L2 norm of a gradient in one summation order that does not depend on how the
 * parameters are cut into shards: each tensor is cut into <em>pieces</em> of
 * {@link #PIECE_VALUES} values ({@code W_dec} into pieces of whole rows), a piece's sum of
 * squares is the float32 lane sums of its blocks of {@link #BLOCK} values added in order (as
 * {@code torch} sums float32), and the norm is the square root of the piece sums added in
 * {@link SaeParameters#NAMES} order. A shard holds whole pieces, so a shard reports its pieces'
 * sums and whoever adds them in order gets the same bits as one machine
 * ({@code ShardLayout}).
 */
public final class GradientNorm {
  /** Values per piece (W_dec: as many whole rows as fit, at least one). */
  public static final int PIECE_VALUES = 1 << 20;
  /** Values per float32 lane sum inside a piece. */
  public static final int BLOCK = 1 << 14;

  private GradientNorm() {}

  /** Values per piece of tensor {@code tensor} (index in {@link SaeParameters#NAMES}). */
  public static long pieceValues(int tensor, int dIn) {
    return tensor == SaeParameters.NAMES.indexOf("W_dec")
        ? (long) Math.max(1, PIECE_VALUES / dIn) * dIn : PIECE_VALUES;
  }

  /** The sum of squares of {@code a[from .. to)}, one piece, in the canonical order. */
  public static double pieceSquares(float[] a, int from, int to) {
    double s = 0;
    for (int b = from; b < to; b += BLOCK) {
      s += VectorOps.dot(a, b, a, b, Math.min(BLOCK, to - b));
    }
    return s;
  }

  /**
   * Squared global norm of all six tensors, piece by piece in order (float32, the training
   * path); float64 gradients (the reference path) are summed tensor by tensor in float64.
   */
  public static double sumSquares(SaeParameters grad) {
    if (grad.dtype() != DType.FLOAT32) {
      return grad.sumSquares();
    }
    double s = 0;
    for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
      Tensor t = grad.tensors().get(i);
      float[] a = t.floatView();
      long unit = pieceValues(i, grad.dIn());
      for (long from = 0; from < a.length; from += unit) {
        s += pieceSquares(a, (int) from, (int) Math.min(a.length, from + unit));
      }
    }
    return s;
  }
}
