package org.gsae.core.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which rows make up the global batch of each step: a pure function of (rows, batch size,
 * seed, step), so local and distributed trainers, and a resumed run, see the same batches.
 *
 * <p>Rows are numbered 0..N-1 in store order. The plan is an endless stream of epochs; each
 * epoch is a seeded permutation of the rows ({@code shuffle}) or the identity; step t takes
 * stream positions [tB, (t+1)B), so every batch has exactly B rows and may straddle two epochs.
 * The indices of a step are returned sorted (the summation order of a step is then the
 * store order, which lets one partition reproduce the local trainer bit for bit).
 *
 * <p>Memory: one int per row for the current permutation (the driver holds it).
 */
public final class BatchPlan {
  private final long rows;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private long cachedEpoch = -1;
  private int[] cachedPerm;

  /**
   * @param rows      N, number of rows in the store (at least 1, at most Integer.MAX_VALUE)
   * @param batchSize B, rows per step
   * @param seed      the run's seed
   * @param shuffle   permute each epoch, or walk rows in store order
   */
  public BatchPlan(long rows, int batchSize, long seed, boolean shuffle) {
    if (rows < 1 || rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("row count must be in [1, 2^31-1], got " + rows);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.rows = rows;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
  }

  /** The row numbers of step {@code t}'s global batch, sorted ascending (may repeat when B > N). */
  public int[] indices(long step) {
    int[] out = new int[batchSize];
    long start = step * batchSize;
    for (int k = 0; k < batchSize; k++) {
      long pos = start + k;
      long epoch = pos / rows;
      int offset = (int) (pos % rows);
      out[k] = shuffle ? permutation(epoch)[offset] : offset;
    }
    Arrays.sort(out);
    return out;
  }

  /** Epoch (0-based) in which step {@code t} starts. */
  public long epochOf(long step) {
    return step * batchSize / rows;
  }

  private int[] permutation(long epoch) {
    if (epoch != cachedEpoch) {
      int n = (int) rows;
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] = i;
      }
      // Per-epoch stream split from the run seed: independent of how many epochs came before.
      SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int tmp = p[i];
        p[i] = p[j];
        p[j] = tmp;
      }
      cachedPerm = p;
      cachedEpoch = epoch;
    }
    return cachedPerm;
  }
}
