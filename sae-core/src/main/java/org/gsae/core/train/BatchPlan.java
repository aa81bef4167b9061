package org.gsae.core.train;

import java.util.Arrays;

/**
 * Which rows make up the global batch of each step: a pure function of (rows, batch size,
 * seed, step), so local and distributed trainers, and a resumed run, see the same batches.
 *
 * <p>Rows are numbered 0..N-1 in store order, N up to 2^62. The plan is an
 * endless stream of epochs; each epoch is a seeded permutation of the rows ({@code shuffle}) or
 * the identity; step t takes stream positions [tB, (t+1)B), so every batch has exactly B rows
 * and may straddle two epochs. The indices of a step are returned sorted (the summation order
 * of a step is then the store order, which lets one partition reproduce the local trainer bit
 * for bit).
 *
 * <p>The permutation of an epoch is a keyed bijection computed row by row, not an array: a
 * four-round Feistel network over the smallest power-of-four domain that holds N (less than
 * 4N), keyed by the seed and the epoch, with cycle walking (a value that lands outside [0, N)
 * is encrypted again until it lands inside; that restricts a permutation of the domain to a
 * permutation of [0, N)). Memory is O(1) whatever N is, and any step can be computed without
 * the ones before it.
 */
public final class BatchPlan {
  private static final int ROUNDS = 4;

  private final long rows;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final int halfBits;
  private final long halfMask;

  /**
   * @param rows      N, number of rows in the store, 1 to 2^62
   * @param batchSize B, rows per step
   * @param seed      the run's seed
   * @param shuffle   permute each epoch, or walk rows in store order
   */
  public BatchPlan(long rows, int batchSize, long seed, boolean shuffle) {
    if (rows < 1 || rows > 1L << 62) {
      throw new IllegalArgumentException("row count must be in [1, 2^62], got " + rows);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.rows = rows;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
    int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, rows - 1));   // 2^bits >= rows
    this.halfBits = Math.max(1, (bits + 1) / 2);
    this.halfMask = (1L << halfBits) - 1;
  }

  /** The row numbers of step {@code t}'s global batch, sorted ascending (may repeat when B > N). */
  public long[] indices(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    long[] out = new long[batchSize];
    long start = Math.multiplyExact(step, (long) batchSize);
    for (int k = 0; k < batchSize; k++) {
      long pos = start + k;
      out[k] = rowAt(pos / rows, pos % rows);
    }
    Arrays.sort(out);
    return out;
  }

  /** The row at place {@code i} of epoch {@code epoch}'s order. */
  public long rowAt(long epoch, long i) {
    if (i < 0 || i >= rows) {
      throw new IllegalArgumentException("place " + i + " is outside [0, " + rows + ")");
    }
    if (!shuffle || rows == 1) {
      return i;
    }
    long key = epochKey(epoch);
    long x = i;
    do {
      x = encrypt(x, key);
    } while (x >= rows);
    return x;
  }

  /** The place of row {@code row} in epoch {@code epoch}'s order: the inverse of {@link #rowAt}. */
  public long placeOf(long epoch, long row) {
    if (row < 0 || row >= rows) {
      throw new IllegalArgumentException("row " + row + " is outside [0, " + rows + ")");
    }
    if (!shuffle || rows == 1) {
      return row;
    }
    long key = epochKey(epoch);
    long x = row;
    do {
      x = decrypt(x, key);
    } while (x >= rows);
    return x;
  }

  /** Epoch (0-based) in which step {@code t} starts. */
  public long epochOf(long step) {
    return Math.multiplyExact(step, (long) batchSize) / rows;
  }

  private long epochKey(long epoch) {
    // Independent of how many epochs came before; distinct seeds and epochs give distinct keys.
    return mix(seed ^ mix(epoch + 0x632BE59BD9B4E019L));
  }

  private long encrypt(long x, long key) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int r = 0; r < ROUNDS; r++) {
      long next = left ^ (round(right, r, key) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }

  private long decrypt(long x, long key) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int r = ROUNDS - 1; r >= 0; r--) {
      long prev = right ^ (round(left, r, key) & halfMask);
      right = left;
      left = prev;
    }
    return (left << halfBits) | right;
  }

  private static long round(long half, int r, long key) {
    return mix(key ^ (half * 0x9E3779B97F4A7C15L) ^ (r + 1) * 0xD1B54A32D192ED03L);
  }

  /** SplitMix64's finaliser: a bijective 64-bit mixer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
