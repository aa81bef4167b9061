package org.gsae.core.loss;

import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;

/**
 * The step's working arrays, kept from step to step in a small JVM-wide pool (at most
 * two idle per shape and thread count, like {@link org.gsae.core.tensor.EncoderProduct}).
 * Allocated afresh each step they were G1 humongous allocations (the [chunk, n] row buffers,
 * the pair lists), each starting a concurrent marking cycle that took CPU from the step on a
 * 2-core machine; the dense path's native matrices cost ~30 ms a step to allocate at
 * 784 x 6272.
 */
final class SparseScratch {
  /**
   * Features whose W_enc gradient columns a worker sums at once before adding them to the
   * [n, m] sum: the panel (200 KB at n = 784) stays in L2, and each row of the sum is touched
   * in runs of PANEL values. (A whole [m, n] transposed sum, added at the end, cost 6-8 ms a
   * step at 784 x 6272 for the transposition alone.)
   */
  static final int PANEL = 64;

  final int n;
  final int m;
  final int threads;
  final Worker[] workers;
  final PairList pairs = new PairList(1024);
  int[] order = new int[0];    // pair indices bucketed by feature
  final int[] featureStart;    // [m + 1]
  final int[] cursor;          // [m]
  // The current chunk.
  float[] xc = new float[0];   // x - b_dec [count, n]
  float[] dxh = new float[0];  // 2 (x_hat - x) [count, n]
  float[] ds = new float[0];   // 2 alpha (x_gate - x) [count, n]
  RowTerms rowTerms = new RowTerms(0);
  private DenseGatedChunk dense;   // the dense path's buffers, made by its first chunk
  private boolean denseUsed;       // by the step holding this scratch

  /** Per-thread scratch and the active pairs that thread collected. */
  static final class Worker {
    final float[] piRow;
    final float[] xh;
    final float[] xg;
    final float[] pair = new float[2];
    // Four pairs streamed at once (VectorOps.axpy4): their coefficients and row offsets.
    final float[] c1 = new float[4];
    final float[] c2 = new float[4];
    final float[] c3 = new float[4];
    final int[] rows4 = new int[4];
    final int[] open;              // open gates of one row
    final float[] panel;           // W_enc gradient columns of PANEL features [PANEL, n]; zero between uses
    final PairList pairs = new PairList(1024);

    Worker(int n, int m) {
      piRow = new float[m];
      open = new int[m];
      panel = new float[PANEL * n];
      xh = new float[n];
      xg = new float[n];
    }
  }

  private SparseScratch(int n, int m, int threads) {
    this.n = n;
    this.m = m;
    this.threads = threads;
    workers = new Worker[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Worker(n, m);
    }
    featureStart = new int[m + 1];
    cursor = new int[m];
  }

  /** Row buffers for a chunk of {@code count} rows. */
  void ensureChunk(int count) {
    if (xc.length < count * n) {
      xc = new float[count * n];
      dxh = new float[count * n];
      ds = new float[count * n];
      rowTerms = new RowTerms(count);
    }
  }

  /** Room for {@code entries} bucketed pair indices. */
  void ensureOrder(int entries) {
    if (order.length < entries) {
      order = new int[Math.max(entries, order.length * 2)];
    }
  }

  /** The dense path's buffers, bound to this step's parameters and sums. */
  DenseGatedChunk dense(StepParams p, StepSums sums) {
    if (dense == null) {
      dense = new DenseGatedChunk(n, m, threads);
    }
    dense.begin(p, sums);
    denseUsed = true;
    return dense;
  }

  /** Whether the dense path's buffers are allocated. */
  boolean holdsDenseBuffers() {
    return dense != null;
  }

  /** A scratch for the shape, from the pool or new. */
  static SparseScratch acquire(int n, int m, int threads) {
    Deque<SparseScratch> idle = POOL.computeIfAbsent(key(n, m, threads), k -> new ConcurrentLinkedDeque<>());
    SparseScratch s = idle.pollFirst();
    return s != null ? s : new SparseScratch(n, m, threads);
  }

  /**
   * Gives the scratch back to the pool; if two of its shape are idle already it is dropped,
   * and its native buffers freed. The dense path's buffers (five [256, m] arrays on the heap,
   * four [256, m] and three [m, n] matrices in native memory: 0.45 GB at 768 x 24576) are kept
   * only while steps use them, early in training when most gates are open; the first step that
   * runs no dense chunk frees them.
   */
  void release() {
    Deque<SparseScratch> idle = POOL.get(key(n, m, threads));
    boolean pooled = idle != null && idle.size() < POOL_SIZE;
    if (dense != null && (!pooled || !denseUsed)) {
      dense.close();
      dense = null;
    }
    denseUsed = false;
    if (pooled) {
      idle.addFirst(this);
    }
  }

  private static final int POOL_SIZE = 2;
  private static final ConcurrentMap<String, Deque<SparseScratch>> POOL = new ConcurrentHashMap<>();

  private static String key(int n, int m, int threads) {
    return n + "x" + m + "/" + threads;
  }
}
