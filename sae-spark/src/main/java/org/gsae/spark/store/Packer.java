package org.gsae.spark.store;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.gsae.core.error.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Builds the packed row blocks of a store. Spark's file scan orders its partitions by split
 * size, not by path, so store order takes one shuffle: validated rows travel in chunks
 * (few, large records) to exact {@code row_id} ranges and are sorted there. The shuffle
 * output also spares a re-read of Parquet if cached blocks are lost.
 *
 * <p>Jobs: with no model {@code d_in}, a first job runs the scan and reads the first
 * non-empty partition to learn the first valid row's width; then one job builds, persists
 * and counts the blocks (reusing the scan's shuffle output).
 *
 * <p>The source is the whole store or one {@link StoreWindow}: {@code row_id}s
 * {@code [firstRow, firstRow + rows)}.
 */
final class Packer {
  private static final Logger LOG = LoggerFactory.getLogger(Packer.class);

  private Packer() {}

  /**
   * @param source        {@code [row_id long, activation]} of every row of the store, or of
   *                      the window
   * @param expectedWidth the model's {@code d_in} (or the width of an earlier window), or 0
   *                      when unknown
   * @param widthSource   where {@code expectedWidth} comes from, for messages
   * @param firstRow      the first {@code row_id} of the source
   * @param rows          rows of the source, valid or not
   * @param allowEmpty    return an empty {@link PackedStore} (width 0 when unknown) instead
   *                      of failing when no row is valid: one window may be empty
   */
  static PackedStore pack(Dataset<Row> source, InputConfig config, ActivationType type,
      int expectedWidth, String widthSource, Broadcast<FileTable> files, PackOptions options,
      long firstRow, long rows, boolean allowEmpty) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(source.sparkSession().sparkContext());
    FileTable table = files.value();
    JavaRDD<InternalRow> scan = source.queryExecution().toRdd().toJavaRDD();
    int partitions = options.partitions() > 0 ? options.partitions()
        : Math.max(1, scan.getNumPartitions());
    if (rows == 0 && allowEmpty) {
      return empty(jsc, expectedWidth, partitions, options);
    }
    RowIdRangePartitioner ranges = new RowIdRangePartitioner(firstRow, rows, partitions);
    LongAccumulator skipped = jsc.sc().longAccumulator("gsae: invalid rows skipped");
    InvalidRows invalid = new InvalidRows(config.onInvalid(), files, skipped);

    JavaPairRDD<Long, RowBlock> sorted = scan
        .mapPartitionsToPair(new ScanChunker(type, config.column(), invalid, ranges,
            expectedWidth, widthSource, options.blockRows()))
        .repartitionAndSortWithinPartitions(ranges);

    jsc.setJobDescription("gsae: read and validate activation store " + config.path());
    JavaRDD<RowBlock> blocks = null;
    try {
      int dIn = expectedWidth;
      String width = widthSource;
      if (dIn == 0) {
        long[] first = firstValidRow(sorted, partitions);
        if (first == null) {
          if (allowEmpty) {
            return empty(jsc, 0, partitions, options);
          }
          throw noValidRow(config);
        }
        dIn = (int) first[1];
        width = firstRowWidth(table, first[0]);
      }
      if ((long) options.blockRows() * dIn > Integer.MAX_VALUE - 16) {
        throw Errors.usage("a block of " + options.blockRows() + " rows of width " + dIn
            + " exceeds the 2^31 floats a Java array holds", "block rows",
            "use fewer rows per block");
      }
      blocks = sorted.mapPartitions(
          new BlockAssembler(config.column(), invalid, dIn, width, options.blockRows()), true);
      blocks.setName("gsae row blocks of " + config.path());
      StorageLevel level = StorageLevels.parse(config.storageLevel());
      if (!level.equals(StorageLevel.NONE())) {
        blocks.persist(level);
      }
      jsc.setJobDescription("gsae: pack activation store " + config.path());
      JavaRDD<RowBlock> counted = blocks;
      List<Long> counts = TaskFailures.rethrowing(
          () -> counted.mapPartitions(Packer::countRows, true).collect());
      long[] partitionRows = counts.stream().mapToLong(Long::longValue).toArray();
      if (counts.stream().mapToLong(Long::longValue).sum() == 0 && !allowEmpty) {
        throw noValidRow(config);
      }
      PackedStore packed = new PackedStore(blocks, dIn, width, partitionRows, rows,
          options.blockRows());
      LOG.info("Packed {} valid rows (d_in {}) of row_ids [{}, {}) into {} partitions; skipped {} "
          + "invalid rows (accumulator: {})", packed.validRows(), dIn, firstRow, firstRow + rows,
          partitions, packed.skippedRows(), skipped.value());
      return packed;
    } catch (Exception e) { // includes SparkException, thrown undeclared by Scala code
      if (blocks != null) {
        blocks.unpersist(false);
      }
      throw e;
    } finally {
      jsc.setJobDescription(null);
    }
  }

  /**
   * {@code [row_id, width]} of the first valid row (the first chunk of the first non-empty
   * partition), or null when there is none. Probes partitions in growing batches, so usually
   * one job reads partition 0.
   */
  private static long[] firstValidRow(JavaPairRDD<Long, RowBlock> sorted, int partitions) {
    JavaRDD<long[]> firsts = sorted.mapPartitions(Packer::firstChunk, true);
    int batch = 1;
    for (int start = 0; start < partitions; start += batch, batch *= 2) {
      int[] ids = new int[Math.min(batch, partitions - start)];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = start + i;
      }
      List<long[]>[] found = TaskFailures.rethrowing(() -> firsts.collectPartitions(ids));
      for (List<long[]> f : found) {
        if (!f.isEmpty()) {
          return f.get(0);
        }
      }
    }
    return null;
  }

  /** How a width learnt from the data is named in messages. */
  static String firstRowWidth(FileTable table, long rowId) {
    return "like the first valid row (" + table.describeRow(rowId) + ")";
  }

  private static PackedStore empty(JavaSparkContext jsc, int dIn, int partitions,
      PackOptions options) {
    return new PackedStore(jsc.parallelize(List.<RowBlock>of(), partitions), dIn, "",
        new long[partitions], 0, options.blockRows());
  }

  static RuntimeException noValidRow(InputConfig config) {
    return Errors.invalidInput("the activation store has no valid row: input.on_invalid = skip "
        + "dropped every row of column '" + config.column() + "' (null, empty, NaN/infinite "
        + "values or the wrong width)", config.path(),
        "check input.column, the model's d_in and the data");
  }

  private static Iterator<long[]> firstChunk(Iterator<Tuple2<Long, RowBlock>> chunks) {
    if (!chunks.hasNext()) {
      return Collections.emptyIterator();
    }
    Tuple2<Long, RowBlock> first = chunks.next();
    return List.of(new long[] {first._1(), first._2().dIn()}).iterator();
  }

  private static Iterator<Long> countRows(Iterator<RowBlock> blocks) {
    long n = 0;
    while (blocks.hasNext()) {
      n += blocks.next().rows();
    }
    return List.of(n).iterator();
  }
}
