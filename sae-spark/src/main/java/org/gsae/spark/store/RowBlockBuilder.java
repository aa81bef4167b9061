package org.gsae.spark.store;

import java.util.Arrays;

/**
 * Appends rows of one width into growable arrays and cuts them into a {@link RowBlock}.
 * It starts with room for the rows its caller expects and grows geometrically beyond that;
 * {@link #build()} trims what invalid rows left unused.
 */
final class RowBlockBuilder {
  private final int dIn;
  private final int capacityRows;
  private long[] rowIds;
  private float[] data;
  private int rows;

  /**
   * A builder for rows of width {@code dIn}, holding at most {@code capacityRows} rows, with
   * room for {@code expectedRows} from the start (a reader that knows how many rows remain
   * avoids growing and trimming copies).
   */
  RowBlockBuilder(int dIn, int capacityRows, int expectedRows) {
    this.dIn = dIn;
    this.capacityRows = capacityRows;
    int start = Math.max(1, Math.min(capacityRows, expectedRows));
    this.rowIds = new long[start];
    this.data = new float[start * dIn];
  }

  int dIn() {
    return dIn;
  }

  int rows() {
    return rows;
  }

  boolean isFull() {
    return rows >= capacityRows;
  }

  boolean isEmpty() {
    return rows == 0;
  }

  /** Appends one row {@code values[from .. from + dIn)} with id {@code rowId}. */
  void add(long rowId, float[] values, int from) {
    if (rows == rowIds.length) {
      int grown = (int) Math.min(capacityRows, Math.max(1L, 2L * rows));
      rowIds = Arrays.copyOf(rowIds, grown);
      data = Arrays.copyOf(data, grown * dIn);
    }
    rowIds[rows] = rowId;
    System.arraycopy(values, from, data, rows * dIn, dIn);
    rows++;
  }

  /** The rows added so far as a block with exactly sized arrays; the builder is spent. */
  RowBlock build() {
    long[] ids = rows == rowIds.length ? rowIds : Arrays.copyOf(rowIds, rows);
    float[] values = rows * dIn == data.length ? data : Arrays.copyOf(data, rows * dIn);
    rowIds = null;
    data = null;
    return new RowBlock(ids, values, rows, dIn);
  }
}
