package org.gsae.spark.store;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A block of consecutive valid rows of the store in {@code row_id} order: the unit that
 * training and analytics work on (row blocks, not rows, cross the task boundary).
 *
 * <p>{@code data} is row-major {@code [rows, d_in]} float32; row {@code r} occupies
 * {@code data[r * dIn .. (r + 1) * dIn)} and has id {@code rowIds[r]}. The arrays are
 * exposed without copying for speed; callers must not modify them (blocks are cached and
 * shared between jobs).
 */
public final class RowBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] rowIds;
  private final float[] data;
  private final int rows;
  private final int dIn;

  /**
   * @param rowIds {@code [rows]} increasing row ids
   * @param data   {@code [rows, dIn]} row-major values, length exactly {@code rows * dIn}
   * @param rows   number of rows
   * @param dIn    row width, at least 1
   */
  public RowBlock(long[] rowIds, float[] data, int rows, int dIn) {
    if (dIn < 1 || rows < 0 || rowIds.length != rows || data.length != (long) rows * dIn) {
      throw new IllegalArgumentException("inconsistent row block: rows=" + rows + ", dIn=" + dIn
          + ", rowIds.length=" + rowIds.length + ", data.length=" + data.length);
    }
    this.rowIds = rowIds;
    this.data = data;
    this.rows = rows;
    this.dIn = dIn;
  }

  /** Row ids {@code [rows]}, increasing; do not modify. */
  public long[] rowIds() {
    return rowIds;
  }

  /** Values {@code [rows, d_in]} row-major; do not modify. */
  public float[] data() {
    return data;
  }

  /** Number of rows in this block. */
  public int rows() {
    return rows;
  }

  /** Row width {@code d_in}. */
  public int dIn() {
    return dIn;
  }

  /** A copy of row {@code r} as {@code [d_in]}. */
  public float[] row(int r) {
    if (r < 0 || r >= rows) {
      throw new IndexOutOfBoundsException("row " + r + " of a block of " + rows + " rows");
    }
    return Arrays.copyOfRange(data, r * dIn, (r + 1) * dIn);
  }

  @Override
  public String toString() {
    return "RowBlock[rows=" + rows + ", dIn=" + dIn
        + (rows == 0 ? "" : ", rowIds=" + rowIds[0] + ".." + rowIds[rows - 1]) + "]";
  }
}
