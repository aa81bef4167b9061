package org.gsae.core.tensor;

import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;

/**
 * The one dense product of the gated encoder, {@code pi = x_c W_enc} ([rows, n] @ [n, m]),
 * with {@code W_enc} resident in native memory for as long as the weights do not change and
 * the result left in a native buffer that callers read row by row. This avoids copying
 * {@code W_enc} (n*m floats) per chunk and the [rows, m] result back as a whole, which at
 * 768 x 24576 would cost more than a third of the GEMM itself.
 *
 * <p>Not thread-safe: one instance per thread. Call order: {@link #setWeights} →
 * ({@link #multiply} → {@link #row}*)* → {@link #close}.
 */
public final class EncoderProduct implements AutoCloseable {
  private final int dIn;
  private final int dSae;
  private final NativeMatrix w;                                         // W_enc [n, m]
  private final Map<Integer, NativeMatrix[]> byRows = new HashMap<>();  // x_c [r, n], pi [r, m]
  private NativeMatrix result;

  /**
   * @param dIn  n
   * @param dSae m
   */
  public EncoderProduct(int dIn, int dSae) {
    this.dIn = dIn;
    this.dSae = dSae;
    this.w = new NativeMatrix(dIn, dSae);
  }

  /** Copies {@code W_enc} [n, m] (row-major) into native memory. */
  public void setWeights(float[] wEnc) {
    if (wEnc.length != dIn * dSae) {
      throw new IllegalArgumentException("W_enc has " + wEnc.length + " values, expected "
          + dIn + " x " + dSae);
    }
    w.put(wEnc, 0, dIn);
  }

  /**
   * Computes {@code pi = xc @ W_enc} for {@code rows} rows of {@code xc} ([rows, n] row-major);
   * read the result with {@link #row}.
   */
  public void multiply(float[] xc, int rows) {
    NativeMatrix[] io = byRows.computeIfAbsent(rows,
        r -> new NativeMatrix[] {new NativeMatrix(r, dIn), new NativeMatrix(r, dSae)});
    io[0].put(xc, 0, rows);
    NativeMatrix.gemm(io[0], false, w, false, io[1], 0);
    result = io[1];
  }

  /** Copies row {@code r} of the last product ([m] values) into {@code dst}. */
  public void row(int r, float[] dst) {
    row(r, dst, 0);
  }

  /** Copies row {@code r} of the last product ([m] values) into {@code dst[off..off+m)}. */
  public void row(int r, float[] dst, int off) {
    result.get(r, 1, dst, off);
  }

  /**
   * An instance for [n, m] from a small JVM-wide pool (at most two idle per shape), so its
   * native buffers (4 n m bytes plus one result per chunk size) are kept between training
   * steps: allocating them afresh cost ~0.15 s per step at 768 x 24576. Give it back with
   * {@link #release}.
   */
  public static EncoderProduct acquire(int dIn, int dSae) {
    Deque<EncoderProduct> idle = POOL.computeIfAbsent(key(dIn, dSae),
        k -> new ConcurrentLinkedDeque<>());
    EncoderProduct p = idle.pollFirst();
    return p != null ? p : new EncoderProduct(dIn, dSae);
  }

  /** Returns an instance from {@link #acquire} to the pool, or closes it if the pool is full. */
  public void release() {
    Deque<EncoderProduct> idle = POOL.get(key(dIn, dSae));
    if (idle != null && idle.size() < POOL_SIZE) {
      result = null;
      idle.addFirst(this);
    } else {
      close();
    }
  }

  private static final int POOL_SIZE = 2;
  private static final ConcurrentMap<Long, Deque<EncoderProduct>> POOL =
      new ConcurrentHashMap<>();

  private static long key(int dIn, int dSae) {
    return ((long) dIn << 32) | dSae;
  }

  @Override
  public void close() {
    byRows.values().forEach(a -> {
      a[0].close();
      a[1].close();
    });
    byRows.clear();
    w.close();
  }
}
