package org.gsae.core.train;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;

/**
 * Which rows make up each step's batch when the store is read in windows (docs/architecture.md
 * §6): a pure function of (window count, each window's valid-row count, batch size, seed, step).
 *
 * <p>The store is cut into {@code W} windows (consecutive files, numbered in store order). The
 * plan is an endless stream of <em>visits</em>: epoch {@code e} visits every window once, in a
 * seeded order (a {@link BatchPlan} permutation of the windows keyed by the seed and {@code e});
 * a visit of window {@code w} in epoch {@code e} yields the window's {@code n_w} valid rows in a
 * seeded order (a {@link BatchPlan} permutation keyed by the window's seed and {@code e}). Step
 * {@code t} takes the next {@code B} rows of that stream, so every batch has exactly {@code B}
 * rows and may span the end of one visit and the start of the next. A window with no valid row
 * adds nothing.
 *
 * <p>With one window this is exactly {@link BatchPlan} over the window's rows: the same rows in
 * every step, for the same seed. Memory is O(1) in the store's size; a {@link Cursor} (visit,
 * offset) says where the next step starts, so a run resumes at any step from a cursor without
 * replaying the ones before it.
 */
public final class WindowPlan {
  /** Where the next step's rows start: the visit and the number of its rows already used. */
  public record Cursor(long visit, long offset) {
    public static final Cursor START = new Cursor(0, 0);

    public Cursor {
      if (visit < 0 || offset < 0) {
        throw new IllegalArgumentException("cursor must be >= 0, got visit " + visit + ", offset "
            + offset);
      }
    }
  }

  /**
   * One step's rows: for each window it touches, in ascending window order, the window's row
   * numbers (0-based among the window's valid rows in store order), sorted ascending and
   * possibly repeated; and the cursor of the step after it.
   *
   * @param windows window indices, ascending, {@code [k]}
   * @param rows    {@code rows[i]} the sorted rows of {@code windows[i]}; lengths sum to B
   * @param next    where the following step starts
   */
  public record Batch(int[] windows, long[][] rows, Cursor next) {}

  /** Every window was visited and none has a valid row. */
  public static final class NoValidRowException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NoValidRowException(int windows) {
      super("none of the " + windows + " windows has a valid row");
    }
  }

  private final int windows;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final BatchPlan windowOrder;

  /**
   * @param windows   W, number of windows, >= 1
   * @param batchSize B, rows per step
   * @param seed      the run's seed
   * @param shuffle   permute windows per epoch and rows per visit, or walk both in store order
   */
  public WindowPlan(int windows, int batchSize, long seed, boolean shuffle) {
    if (windows < 1) {
      throw new IllegalArgumentException("window count must be >= 1, got " + windows);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.windows = windows;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
    this.windowOrder = new BatchPlan(windows, 1, BatchPlan.mix(seed ^ 0x5851F42D4C957F2DL),
        shuffle);
  }

  public int windows() {
    return windows;
  }

  public int batchSize() {
    return batchSize;
  }

  /** The epoch of visit {@code visit}. */
  public long epochOf(long visit) {
    return visit / windows;
  }

  /** The window that visit {@code visit} reads. */
  public int windowAt(long visit) {
    if (visit < 0) {
      throw new IllegalArgumentException("visit must be >= 0, got " + visit);
    }
    return (int) windowOrder.rowAt(epochOf(visit), visit % windows);
  }

  /**
   * The rows of the step that starts at {@code at}.
   *
   * @param validRows the number of valid rows of a window; called for each window the step
   *                  reads, in visit order (a caller may load the window then)
   * @throws NoValidRowException when every window has been seen empty
   */
  public Batch batch(Cursor at, IntToLongFunction validRows) {
    Map<Integer, long[]> byWindow = new TreeMap<>();
    Map<Integer, Integer> filled = new TreeMap<>();
    BitSet empty = new BitSet(windows);
    long visit = at.visit();
    long offset = at.offset();
    int need = batchSize;
    while (need > 0) {
      int w = windowAt(visit);
      long n = validRows.applyAsLong(w);
      if (offset >= n && n > 0) {
        throw new IllegalArgumentException("cursor offset " + offset + " is not inside visit "
            + visit + " of window " + w + ", which has " + n + " rows");
      }
      if (n == 0) {
        empty.set(w);
        if (empty.cardinality() == windows) {
          throw new NoValidRowException(windows);
        }
        visit++;
        offset = 0;
        continue;
      }
      empty.clear();
      int take = (int) Math.min(need, n - offset);
      BatchPlan order = new BatchPlan(n, 1, windowSeed(w), shuffle);
      long epoch = epochOf(visit);
      long[] rows = byWindow.computeIfAbsent(w, k -> new long[batchSize]);
      int k = filled.getOrDefault(w, 0);
      for (int i = 0; i < take; i++) {
        rows[k++] = order.rowAt(epoch, offset + i);
      }
      filled.put(w, k);
      need -= take;
      offset += take;
      if (offset == n) {
        visit++;
        offset = 0;
      }
    }
    int[] ws = new int[byWindow.size()];
    long[][] rows = new long[ws.length][];
    int i = 0;
    for (Map.Entry<Integer, long[]> e : byWindow.entrySet()) {
      ws[i] = e.getKey();
      rows[i] = Arrays.copyOf(e.getValue(), filled.get(e.getKey()));
      Arrays.sort(rows[i]);
      i++;
    }
    return new Batch(ws, rows, new Cursor(visit, offset));
  }

  /**
   * The cursor of step {@code step} of a one-window plan whose window has {@code rows} valid
   * rows (a checkpoint written before windows existed records only the step).
   */
  public static Cursor cursorOfStep(long step, int batchSize, long rows) {
    long position = Math.multiplyExact(step, (long) batchSize);
    return new Cursor(position / rows, position % rows);
  }

  /** The seed of window {@code w}'s row order: the run's seed itself when there is one window. */
  private long windowSeed(int w) {
    return windows == 1 ? seed : BatchPlan.mix(seed ^ BatchPlan.mix(w + 0x2545F4914F6CDD1DL));
  }
}
