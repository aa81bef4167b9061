package org.gsae.spark.train;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.gsae.spark.store.PackedStore;
import org.gsae.spark.store.RowBlock;

/**
 * The rows of one training step as the executors find them: row blocks whose partition
 * {@code p} holds the positions {@code [partitionOffsets[p], partitionOffsets[p + 1])} in order,
 * and the step's positions, sorted ascending (repeats allowed). {@link StepTask} gathers a
 * partition's share of the positions from its blocks.
 *
 * <p>The positions' order is the partitions' order. The plan's order (window by window, each in
 * store order: the order one partition would sum them in) can differ when a step reads several
 * windows packed in several partitions; {@code planIndex} maps one to the other, for a step
 * that gathers the rows in one place ({@link InProcessTrainer}).
 *
 * @param blocks           row blocks, each {@code [rows, d_in]}
 * @param partitionOffsets first position of each partition, {@code [partitions + 1]}
 * @param positions        the step's rows, sorted, {@code [B]}
 * @param planIndex        {@code planIndex[k]}: the place of the row at {@code positions[k]}
 *                         in the plan's order, {@code [B]}; null when the orders agree
 */
public record StepRows(JavaRDD<RowBlock> blocks, long[] partitionOffsets, long[] positions,
    int[] planIndex) {

  /** Rows of one packed store (or window): position = the row's number among its valid rows. */
  public static StepRows of(JavaRDD<RowBlock> blocks, long[] partitionRowCounts,
      long[] sortedRows) {
    if (partitionRowCounts.length != blocks.getNumPartitions()) {
      throw new IllegalArgumentException(partitionRowCounts.length + " row counts for "
          + blocks.getNumPartitions() + " partitions");
    }
    return new StepRows(blocks, starts(partitionRowCounts), sortedRows, null);
  }

  /**
   * Rows of several windows packed with the same number of partitions, {@code rows[k]} sorted
   * rows of {@code windows.get(k)}: partition {@code p} of the step reads partition {@code p}
   * of each window in turn (one task per partition, whatever the number of windows), so the
   * rows of a partition are summed window by window, each in store order; with one partition
   * that is the rows in window order, then store order.
   */
  static StepRows of(List<PackedStore> windows, long[][] rows) {
    if (windows.size() == 1) {
      return of(windows.get(0).blocks(), windows.get(0).partitionRowCounts(), rows[0]);
    }
    int partitions = windows.get(0).numPartitions();
    long[] size = new long[partitions];
    long[][] counts = new long[windows.size()][];
    JavaRDD<RowBlock> blocks = null;
    for (int i = 0; i < windows.size(); i++) {
      PackedStore w = windows.get(i);
      if (w.numPartitions() != partitions) {
        throw new IllegalArgumentException("windows of " + partitions + " and "
            + w.numPartitions() + " partitions cannot be read by one step");
      }
      counts[i] = w.partitionRowCounts();
      for (int p = 0; p < partitions; p++) {
        size[p] += counts[i][p];
      }
      blocks = blocks == null ? w.blocks() : blocks.zipPartitions(w.blocks(), StepRows::concat);
    }
    long[] offsets = starts(size);
    long[] before = Arrays.copyOf(offsets, partitions);   // rows of earlier windows, per partition
    int n = 0;
    for (long[] r : rows) {
      n += r.length;
    }
    long[] positions = new long[n];
    int k = 0;
    for (int i = 0; i < windows.size(); i++) {
      long[] starts = starts(counts[i]);
      int p = 0;
      for (long r : rows[i]) {
        while (r >= starts[p + 1]) {
          p++;
        }
        positions[k++] = before[p] + r - starts[p];
      }
      for (int q = 0; q < partitions; q++) {
        before[q] += counts[i][q];
      }
    }
    // positions[k] is the k-th row in the plan's order; sort them, remembering where each was
    // (ties, a row taken twice, keep the plan's order).
    Integer[] byPosition = new Integer[n];
    for (int j = 0; j < n; j++) {
      byPosition[j] = j;
    }
    Arrays.sort(byPosition, (a, b) -> Long.compare(positions[a], positions[b]));
    long[] sorted = new long[n];
    int[] planIndex = new int[n];
    for (int j = 0; j < n; j++) {
      sorted[j] = positions[byPosition[j]];
      planIndex[j] = byPosition[j];
    }
    return new StepRows(blocks, offsets, sorted, planIndex);
  }

  /**
   * Partition {@code partition}'s share of the step's rows, gathered from its blocks into one
   * row-major block {@code [k, d_in]} in position order (empty when it holds none).
   *
   * @param positions        the step's sorted global positions
   * @param partitionOffsets first global position of each partition, {@code [partitions + 1]}
   */
  static float[] share(int partition, Iterator<RowBlock> blocks, long[] positions,
      long[] partitionOffsets, int dIn) {
    long[] mine = localPositions(positions, partitionOffsets[partition],
        partitionOffsets[partition + 1]);
    return mine.length == 0 ? new float[0] : gather(blocks, mine, dIn);
  }

  /** How many of the step's rows partition {@code partition} holds. */
  int rowsIn(int partition) {
    return lowerBound(positions, partitionOffsets[partition + 1])
        - lowerBound(positions, partitionOffsets[partition]);
  }

  /** Positions in [from, to) of the sorted global batch, made local to the partition. */
  static long[] localPositions(long[] sortedGlobal, long from, long to) {
    int lo = lowerBound(sortedGlobal, from);
    int hi = lowerBound(sortedGlobal, to);
    long[] out = new long[hi - lo];
    for (int i = lo; i < hi; i++) {
      out[i - lo] = sortedGlobal[i] - from;
    }
    return out;
  }

  private static int lowerBound(long[] a, long key) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Copies the rows at the given sorted local positions (repeats allowed) out of the blocks. */
  private static float[] gather(Iterator<RowBlock> blocks, long[] positions, int dIn) {
    float[] out = new float[positions.length * dIn];
    int k = 0;
    long blockStart = 0;
    while (k < positions.length && blocks.hasNext()) {
      RowBlock b = blocks.next();
      if (b.dIn() != dIn) {
        throw new IllegalStateException("row block of width " + b.dIn() + " in a store of d_in " + dIn);
      }
      long blockEnd = blockStart + b.rows();
      while (k < positions.length && positions[k] < blockEnd) {
        int r = (int) (positions[k] - blockStart);
        System.arraycopy(b.data(), r * dIn, out, k * dIn, dIn);
        k++;
      }
      blockStart = blockEnd;
    }
    if (k != positions.length) {
      throw new IllegalStateException("partition holds fewer rows than its recorded count: needed"
          + " local position " + positions[k] + " but only " + blockStart + " rows were found");
    }
    return out;
  }

  private static long[] starts(long[] counts) {
    long[] s = new long[counts.length + 1];
    for (int p = 0; p < counts.length; p++) {
      s[p + 1] = s[p] + counts[p];
    }
    return s;
  }

  private static Iterator<RowBlock> concat(Iterator<RowBlock> a, Iterator<RowBlock> b) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return a.hasNext() || b.hasNext();
      }

      @Override
      public RowBlock next() {
        if (a.hasNext()) {
          return a.next();
        }
        if (b.hasNext()) {
          return b.next();
        }
        throw new NoSuchElementException();
      }
    };
  }
}
