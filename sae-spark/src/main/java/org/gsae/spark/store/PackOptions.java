package org.gsae.spark.store;

/**
 * How to pack the store into row blocks.
 *
 * @param partitions number of partitions of the blocks ({@code spark.partitions}); 0 keeps
 *                   as many as Spark's file scan makes
 * @param blockRows  rows per block (the last block of a partition may be shorter)
 */
public record PackOptions(int partitions, int blockRows) {
  /** Default rows per block: large enough for BLAS, small enough to bound task memory. */
  public static final int DEFAULT_BLOCK_ROWS = 4096;

  public PackOptions {
    if (partitions < 0) {
      throw new IllegalArgumentException("spark.partitions must be >= 0 (0 = keep Spark's), got "
          + partitions);
    }
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows must be >= 1, got " + blockRows);
    }
  }

  /** Keep Spark's partitioning, {@value #DEFAULT_BLOCK_ROWS} rows per block. */
  public static PackOptions defaults() {
    return new PackOptions(0, DEFAULT_BLOCK_ROWS);
  }

  /** The same options with {@code partitions} partitions (0 = keep). */
  public PackOptions withPartitions(int partitions) {
    return new PackOptions(partitions, blockRows);
  }

  /** The same options with {@code blockRows} rows per block. */
  public PackOptions withBlockRows(int blockRows) {
    return new PackOptions(partitions, blockRows);
  }
}
