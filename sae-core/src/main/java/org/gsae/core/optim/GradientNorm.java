package org.gsae.core.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
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
   * path; the pieces' sums are computed in parallel and added in order); float64 gradients
   * (the reference path) are summed tensor by tensor in float64.
   */
  public static double sumSquares(SaeParameters grad) {
    return grad.dtype() != DType.FLOAT32 ? grad.sumSquares() : scaledSumSquares(grad, 1f);
  }

  /**
   * Turns float32 gradient sums over {@code rows} rows into their mean in place (each value
   * times the float32 reciprocal {@code 1f / rows}, the step's mean since the first version)
   * and returns the mean's squared norm
   * ({@link #sumSquares}): the same bits as the two passes, in one (each block is scaled,
   * then its squares summed while it is in cache).
   */
  public static double meanInPlace(SaeParameters sums, long rows) {
    if (sums.dtype() != DType.FLOAT32 || rows < 1) {
      throw new IllegalArgumentException("float32 sums over at least one row, got " + sums.dtype()
          + " over " + rows);
    }
    return scaledSumSquares(sums, 1.0f / rows);
  }

  /** {@link #sumSquares} of a float32 gradient after {@code a[i] *= k} (skipped for k = 1). */
  private static double scaledSumSquares(SaeParameters grad, float k) {
    List<long[]> pieces = new ArrayList<>();   // {tensor, from, to}
    for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
      long length = grad.tensors().get(i).length();
      long unit = pieceValues(i, grad.dIn());
      for (long from = 0; from < length; from += unit) {
        pieces.add(new long[] {i, from, Math.min(length, from + unit)});
      }
    }
    double[] squares = new double[pieces.size()];
    IntStream.range(0, squares.length).parallel().forEach(q -> {
      long[] piece = pieces.get(q);
      float[] a = grad.tensors().get((int) piece[0]).floatView();
      double sq = 0;
      for (int b = (int) piece[1]; b < piece[2]; b += BLOCK) {
        int len = (int) Math.min(BLOCK, piece[2] - b);
        if (k != 1f) {
          for (int i = b; i < b + len; i++) {
            a[i] *= k;
          }
        }
        sq += VectorOps.dot(a, b, a, b, len);
      }
      squares[q] = sq;
    });
    double s = 0;
    for (double x : squares) {
      s += x;
    }
    return s;
  }
}
