package org.gsae.core.model;

import java.util.Arrays;
import java.util.Objects;
import org.gsae.core.error.Errors;
import org.gsae.core.tensor.Tensor;

/**
 * Encodes (and optionally decodes) a stream of rows in <em>row-aligned</em> batches, so that
 * a row's feature activations do not depend on which other rows share its batch.
 *
 * <p>Why: a BLAS GEMM kernel may accumulate a row's dot products differently depending on
 * where that row falls in the call (OpenBLAS's Haswell and SkylakeX kernels differ in the last
 * bit for the same row at different offsets). Here every row with store position {@code rowId}
 * is encoded at offset {@code rowId mod G} of a GEMM of exactly {@code [G, n] x [n, m]}, where
 * {@code G = }{@link #blockRows(int, long)}; positions with no row in the stream (rows of other
 * partitions, skipped rows, past the end of the store) are zero rows whose results are thrown
 * away. So, on a given BLAS kernel and thread count, every row's activations are the same
 * bits whatever the partitioning, the packing into blocks, the number of executors or the
 * order in which partitions run. Different batch sizes (different {@code G}) agree only to
 * float32 rounding.
 *
 * <p>Rows should arrive in increasing {@code rowId} order (a partition of the store does):
 * then only the batches at the stream's two ends are partly empty. Any order is still correct
 * (a batch is flushed whenever a row of another batch arrives), only slower. The sink gets the
 * rows in the order they were added.
 *
 * <p>Memory: one batch, {@code x [G, n]} plus the encoder's {@code [G, m]} intermediates.
 * Not thread-safe.
 */
public final class AlignedEncoder {

  /** Receives the encoded rows of one batch, compacted to the rows that were added. */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param rowIds      the rows' store positions [B], in the order they were added
     * @param rows        B, at least 1
     * @param x           inputs [B, n], as added
     * @param featureActs feature activations [B, m]
     * @param xHat        reconstructions [B, n], or null when not requested
     */
    void accept(long[] rowIds, int rows, float[] x, float[] featureActs, float[] xHat);
  }

  private final SaeParameters p;
  private final int blockRows;
  private final boolean reconstruct;
  private final Sink sink;
  private final int n;
  private final float[] x;
  private final long[] ids;
  private final boolean[] present;
  private final int[] slots;
  private long batch = -1;
  private int count;
  private boolean ascending = true;

  /**
   * @param p           the model (float32 or float64; inputs are cast to its dtype)
   * @param blockRows   G, from {@link #blockRows(int, long)}
   * @param reconstruct also decode {@code xHat = f W_dec + b_dec}
   * @param sink        receives each batch
   */
  public AlignedEncoder(SaeParameters p, int blockRows, boolean reconstruct, Sink sink) {
    this.p = Objects.requireNonNull(p, "p");
    Errors.check(blockRows >= 1, "block rows must be >= 1, got %d", blockRows);
    this.blockRows = blockRows;
    this.reconstruct = reconstruct;
    this.sink = Objects.requireNonNull(sink, "sink");
    this.n = p.dIn();
    this.x = new float[Math.multiplyExact(blockRows, n)];
    this.ids = new long[blockRows];
    this.present = new boolean[blockRows];
    this.slots = new int[blockRows];
  }

  /** Floats in one {@code [G, d_sae]} buffer at the automatic batch size: 16 Mi (64 MB). */
  public static final int AUTO_BATCH_FLOATS = 1 << 24;
  /** The largest automatic batch size. */
  public static final int AUTO_BATCH_MAX = 4096;

  /**
   * The batch size of an analysis or encode pass that was given none (0): the largest power of
   * two up to {@value #AUTO_BATCH_MAX} whose {@code [G, d_sae]} float buffers hold at most
   * {@value #AUTO_BATCH_FLOATS} values (64 MB each; a task holds several): 4096 up to
   * {@code d_sae} = 4096, 2048 at 6272, 512 at 24576, 128 at 131072. A function of the model
   * only, so every pass over the same model encodes in the same GEMM shape.
   *
   * @param dSae m, at least 1
   */
  public static int autoBatchSize(int dSae) {
    Errors.check(dSae >= 1, "d_sae must be >= 1, got %d", dSae);
    return Math.min(AUTO_BATCH_MAX, Integer.highestOneBit(Math.max(1, AUTO_BATCH_FLOATS / dSae)));
  }

  /**
   * The batch size a pass uses: {@code batchSize} when given (>= 1), else
   * {@link #autoBatchSize(int)}.
   */
  public static int batchSize(int batchSize, int dSae) {
    Errors.check(batchSize >= 0, "batch size must be >= 0 (0 = automatic), got %d", batchSize);
    return batchSize > 0 ? batchSize : autoBatchSize(dSae);
  }

  /**
   * The GEMM height G for a pass: {@code min(batchSize, storeRows)}, so that a store smaller
   * than one batch is not padded to a full batch. Both are facts of the store and the options,
   * never of the partitioning.
   *
   * @param batchSize the analysis or encode batch size, at least 1
   * @param storeRows rows in the whole store (valid or not), at least 1
   */
  public static int blockRows(int batchSize, long storeRows) {
    Errors.check(batchSize >= 1, "batch size must be >= 1, got %d", batchSize);
    Errors.check(storeRows >= 1, "store rows must be >= 1, got %d", storeRows);
    return (int) Math.min(batchSize, storeRows);
  }

  /**
   * Adds one row; encodes the pending batch first when this row belongs to another one.
   *
   * @param rowId  the row's position in the store, >= 0
   * @param src    holds the row's n values at {@code offset}
   */
  public void add(long rowId, float[] src, int offset) {
    Errors.check(rowId >= 0, "row id must be >= 0, got %d", rowId);
    long b = rowId / blockRows;
    int slot = (int) (rowId % blockRows);
    if (b != batch || present[slot]) {
      flush();
      batch = b;
    }
    System.arraycopy(src, offset, x, slot * n, n);
    present[slot] = true;
    ids[slot] = rowId;
    ascending &= count == 0 || slot > slots[count - 1];
    slots[count++] = slot;
  }

  /** Encodes the pending batch, if any, and hands it to the sink. */
  public void flush() {
    if (count == 0) {
      return;
    }
    Tensor in = Tensor.of(x, blockRows, n);
    if (in.dtype() != p.dtype()) {
      in = in.cast(p.dtype());
    }
    Encoding e = GatedEncoder.encode(p, in);
    float[] acts = e.featureActs().toFloatArray();
    float[] xHat = reconstruct ? GatedEncoder.decode(p, e.featureActs()).toFloatArray() : null;
    if (count == blockRows && ascending) {
      sink.accept(ids.clone(), count, x.clone(), acts, xHat);
    } else {
      compactAndSend(acts, xHat);
    }
    Arrays.fill(x, 0f);
    Arrays.fill(present, false);
    count = 0;
    ascending = true;
    batch = -1;
  }

  private void compactAndSend(float[] acts, float[] xHat) {
    int m = p.dSae();
    long[] outIds = new long[count];
    float[] outX = new float[count * n];
    float[] outActs = new float[count * m];
    float[] outHat = xHat == null ? null : new float[count * n];
    for (int r = 0; r < count; r++) {
      int slot = slots[r];
      outIds[r] = ids[slot];
      System.arraycopy(x, slot * n, outX, r * n, n);
      System.arraycopy(acts, slot * m, outActs, r * m, m);
      if (outHat != null) {
        System.arraycopy(xHat, slot * n, outHat, r * n, n);
      }
    }
    sink.accept(outIds, count, outX, outActs, outHat);
  }
}
