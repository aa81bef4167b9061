package org.gsae.core.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.optim.GradientNorm;

/**
 * How the parameters (and each gradient and Adam moment, shaped alike) are cut into S shards
 * for a sharded update: the six tensors in {@link SaeParameters#NAMES} order, each cut into
 * {@link GradientNorm} pieces, and shard s is a run of whole pieces, so it holds of tensor i
 * the contiguous row-major values {@code [from(s, i), from(s, i) + length(s, i))} (often
 * none), {@code W_dec} in whole rows (its projection and renormalisation stay inside a shard).
 * Shards are about equal in size; there are never more shards than pieces.
 */
public final class ShardLayout implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int TENSORS = SaeParameters.NAMES.size();

  private final int dIn;
  private final int dSae;
  private final long[][] from;      // [shard][tensor]
  private final int[][] length;     // [shard][tensor]
  private final int[] pieces;       // pieces per shard

  private ShardLayout(int dIn, int dSae, long[][] from, int[][] length, int[] pieces) {
    this.dIn = dIn;
    this.dSae = dSae;
    this.from = from;
    this.length = length;
    this.pieces = pieces;
  }

  /**
   * @param shards the number of shards wanted, >= 1; fewer when the model has fewer pieces
   */
  public static ShardLayout of(int dIn, int dSae, int shards) {
    if (shards < 1 || dIn < 1 || dSae < 1) {
      throw new IllegalArgumentException("need shards, d_in, d_sae >= 1, got " + shards + ", "
          + dIn + ", " + dSae);
    }
    List<long[]> all = new ArrayList<>();   // {tensor, from, to}
    for (int i = 0; i < TENSORS; i++) {
      long n = SaeParameters.length(dIn, dSae, i);
      long unit = GradientNorm.pieceValues(i, dIn);
      for (long a = 0; a < n; a += unit) {
        all.add(new long[] {i, a, Math.min(n, a + unit)});
      }
    }
    int s = Math.min(shards, all.size());
    long total = SaeParameters.parameterCount(dIn, dSae);
    long[][] from = new long[s][TENSORS];
    int[][] length = new int[s][TENSORS];
    int[] pieces = new int[s];
    int k = 0;
    long done = 0;
    for (int shard = 0; shard < s; shard++) {
      long target = total * (shard + 1) / s;
      int maxEnd = all.size() - (s - 1 - shard);   // leave a piece for every later shard
      do {
        long[] p = all.get(k++);
        int t = (int) p[0];
        if (length[shard][t] == 0) {
          from[shard][t] = p[1];
        }
        length[shard][t] += (int) (p[2] - p[1]);
        done += p[2] - p[1];
        pieces[shard]++;
      } while (k < maxEnd && (done < target || shard == s - 1));
    }
    return new ShardLayout(dIn, dSae, from, length, pieces);
  }

  public int shards() {
    return pieces.length;
  }

  public int dIn() {
    return dIn;
  }

  public int dSae() {
    return dSae;
  }

  /** First row-major index in tensor {@code tensor} of shard {@code shard}'s values. */
  public long from(int shard, int tensor) {
    return from[shard][tensor];
  }

  /** Values of tensor {@code tensor} in shard {@code shard} (0 when it holds none). */
  public int length(int shard, int tensor) {
    return length[shard][tensor];
  }

  /** All values of a shard. */
  public long values(int shard) {
    long n = 0;
    for (int len : length[shard]) {
      n += len;
    }
    return n;
  }

  /** Pieces in shard {@code shard}: the length of {@link #pieceSquares}. */
  public int pieces(int shard) {
    return pieces[shard];
  }

  /**
   * The sums of squares of a shard-shaped gradient's pieces, in order: added up in order over
   * all shards, they are {@link GradientNorm#sumSquares} of the whole gradient, bit for bit.
   */
  public double[] pieceSquares(int shard, Shard g) {
    double[] out = new double[pieces[shard]];
    int k = 0;
    for (int i = 0; i < TENSORS; i++) {
      float[] a = g.segment(i);
      long unit = GradientNorm.pieceValues(i, dIn);
      for (int b = 0; b < a.length; b += (int) unit) {
        out[k++] = GradientNorm.pieceSquares(a, b, (int) Math.min(a.length, b + unit));
      }
    }
    return out;
  }
}
