package org.gsae.spark.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.gsae.core.error.Errors;

/**
 * The store's valid rows packed into {@link RowBlock}s: {@code row_id} order within each
 * partition, and partition {@code p} holds smaller row ids than partition {@code p + 1}, so
 * "rows in store order" is partition 0's blocks first, in order. Values are float32
 * ({@code array<double>} and ML vectors were narrowed). The blocks are persisted at the
 * configured storage level (not at all for {@code NONE}); {@link #close()} releases them.
 */
public final class PackedStore implements AutoCloseable {
  private final JavaRDD<RowBlock> blocks;
  private final int dIn;
  private final String widthSource;
  private final long[] partitionRows;
  private final long validRows;
  private final long totalRows;
  private final int blockRows;

  PackedStore(JavaRDD<RowBlock> blocks, int dIn, String widthSource, long[] partitionRows,
      long totalRows, int blockRows) {
    this.blocks = blocks;
    this.dIn = dIn;
    this.widthSource = widthSource;
    this.partitionRows = partitionRows.clone();
    long sum = 0;
    for (long n : partitionRows) {
      sum += n;
    }
    this.validRows = sum;
    this.totalRows = totalRows;
    this.blockRows = blockRows;
  }

  /** The row blocks, each {@code [rows, d_in]}. */
  public JavaRDD<RowBlock> blocks() {
    return blocks;
  }

  /** Row width {@code d_in}: the model's when given, else the first valid row's. */
  public int dIn() {
    return dIn;
  }

  /**
   * Where {@link #dIn()} comes from, for messages: "(d_in of the model)" or "like the first
   * valid row (row R of FILE, row_id ID)"; empty when no row was valid and no width was given.
   */
  public String widthSource() {
    return widthSource;
  }

  /** Rows that passed validation (the rows in the blocks). */
  public long validRows() {
    return validRows;
  }

  /**
   * Rows dropped as invalid ({@code input.on_invalid = skip}; always 0 with {@code fail}).
   * Computed as store rows minus valid rows, so it stays exact when Spark re-runs tasks (a
   * re-run task adds to the job's accumulator again).
   */
  public long skippedRows() {
    return totalRows - validRows;
  }

  /** Valid rows in each partition, {@code [partitions]}, in partition order. */
  public long[] partitionRowCounts() {
    return partitionRows.clone();
  }

  /** Number of partitions of {@link #blocks()}. */
  public int numPartitions() {
    return partitionRows.length;
  }

  /** Rows per block (every block but the last of a partition is full). */
  public int blockRows() {
    return blockRows;
  }

  /**
   * The mean of the first {@code maxRows} valid rows in {@code row_id} order (all rows if
   * fewer), {@code [d_in]}: the initial {@code b_dec}. Sums in double in a fixed order (rows
   * within a partition, then partitions in order), so runs agree; one job over only the
   * partitions that hold those rows.
   */
  public float[] sampleMean(int maxRows) {
    Errors.check(maxRows > 0, "maxRows must be > 0, got %d", maxRows);
    long[] take = new long[partitionRows.length];
    List<Integer> needed = new ArrayList<>();
    long remaining = Math.min(maxRows, validRows);
    for (int p = 0; p < take.length && remaining > 0; p++) {
      take[p] = Math.min(partitionRows[p], remaining);
      remaining -= take[p];
      if (take[p] > 0) {
        needed.add(p);
      }
    }
    if (needed.isEmpty()) {
      throw Errors.invalidInput("the activation store has no valid rows to average", null,
          "check input.path and input.on_invalid");
    }
    final int width = dIn;
    JavaRDD<double[]> sums = blocks.mapPartitionsWithIndex((p, it) -> partialSum(it, take[p], width),
        true);
    List<double[]>[] parts = TaskFailures.rethrowing(
        () -> sums.collectPartitions(needed.stream().mapToInt(Integer::intValue).toArray()));
    double[] total = new double[dIn];
    long count = 0;
    for (int i = 0; i < parts.length; i++) {
      double[] s = parts[i].get(0);
      for (int j = 0; j < dIn; j++) {
        total[j] += s[j];
      }
      count += take[needed.get(i)];
    }
    float[] mean = new float[dIn];
    for (int j = 0; j < dIn; j++) {
      mean[j] = (float) (total[j] / count);
    }
    return mean;
  }

  private static Iterator<double[]> partialSum(Iterator<RowBlock> it, long rows, int dIn) {
    if (rows == 0) {
      return Collections.emptyIterator();
    }
    double[] sum = new double[dIn];
    long left = rows;
    while (left > 0 && it.hasNext()) {
      RowBlock b = it.next();
      int n = (int) Math.min(b.rows(), left);
      float[] data = b.data();
      for (int r = 0; r < n; r++) {
        int base = r * dIn;
        for (int j = 0; j < dIn; j++) {
          sum[j] += data[base + j];
        }
      }
      left -= n;
    }
    return List.of(sum).iterator();
  }

  /** Unpersists the blocks (non-blocking). */
  @Override
  public void close() {
    blocks.unpersist(false);
  }

  @Override
  public String toString() {
    return "PackedStore[dIn=" + dIn + ", validRows=" + validRows + ", skippedRows="
        + skippedRows() + ", partitions=" + partitionRows.length + ", blockRows=" + blockRows + "]";
  }
}
