package org.gsae.spark.store;

import org.apache.spark.Partitioner;

/**
 * Splits {@code row_id}s {@code [F, F + totalRows)} into {@code partitions} contiguous ranges of
 * near-equal size (exact bounds, no sampling): partition {@code p} holds
 * {@code [F + floor(T p / N), F + floor(T (p+1) / N))}, so partition order is {@code row_id}
 * order. {@code F} is 0 for a whole store and a window's first row for a window.
 */
final class RowIdRangePartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;

  private final long firstRow;
  private final long totalRows;
  private final int partitions;

  RowIdRangePartitioner(long totalRows, int partitions) {
    this(0, totalRows, partitions);
  }

  RowIdRangePartitioner(long firstRow, long totalRows, int partitions) {
    if (firstRow < 0 || totalRows < 0 || partitions < 1) {
      throw new IllegalArgumentException("firstRow=" + firstRow + ", totalRows=" + totalRows
          + ", partitions=" + partitions);
    }
    this.firstRow = firstRow;
    this.totalRows = totalRows;
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  /** First {@code row_id} of partition {@code p}; {@code start(N) = totalRows}. */
  long start(int p) {
    // floor(T p / N) without overflowing T * p.
    long q = totalRows / partitions;
    long r = totalRows % partitions;
    return firstRow + q * p + r * p / partitions;
  }

  /** One past the last {@code row_id} of partition {@code p}. */
  long end(int p) {
    return start(p + 1);
  }

  /** The partition of {@code rowId}, a {@link Long}. */
  @Override
  public int getPartition(Object key) {
    long rowId = (Long) key;
    if (rowId < firstRow || rowId - firstRow >= totalRows) {
      throw new IllegalArgumentException("row_id " + rowId + " outside [" + firstRow + ", "
          + (firstRow + totalRows) + ")");
    }
    int lo = 0;
    int hi = partitions - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (start(mid) <= rowId) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowIdRangePartitioner p && p.firstRow == firstRow
        && p.totalRows == totalRows && p.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(firstRow) * 31 + Long.hashCode(totalRows)) * 31 + partitions;
  }
}
