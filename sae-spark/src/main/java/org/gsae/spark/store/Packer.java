package org.gsae.spark.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.gsae.core.error.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Builds the packed row blocks of a store, or of one {@link StoreWindow} ({@code row_id}s
 * {@code [firstRow, firstRow + rows)}): partition {@code p} of the result is the
 * {@code p}-th range of a {@link RowIdRangePartitioner}, read straight from the Parquet files
 * by one task ({@link RangeBlocks}) that prefers the hosts storing the range's bytes
 * ({@link RangeLocations}), so store order needs no shuffle and a lost cached block is rebuilt
 * by re-reading its range.
 *
 * <p>Jobs: with no model {@code d_in}, a first job reads partition 0 up to its first valid
 * row to learn the width (further partitions only when partition 0 has none); then one job
 * builds, persists and counts the blocks.
 */
final class Packer {
  private static final Logger LOG = LoggerFactory.getLogger(Packer.class);

  private Packer() {}

  /**
   * What is read: the store's files, a Hadoop configuration to open them, where their blocks
   * live, and the column.
   */
  record Source(Broadcast<FileTable> files, Broadcast<SerializableWritable<Configuration>> conf,
      RangeLocations locations, InputConfig config, ActivationType type) {}

  /**
   * @param expectedWidth the model's {@code d_in} (or the width of an earlier window), or 0
   *                      when unknown
   * @param widthSource   where {@code expectedWidth} comes from, for messages
   * @param partitions    partitions of the result, at least 1
   * @param firstRow      the first {@code row_id} to pack
   * @param rows          rows to pack, valid or not
   * @param allowEmpty    return an empty {@link PackedStore} (width 0 when unknown) instead
   *                      of failing when no row is valid: one window may be empty
   */
  static PackedStore pack(JavaSparkContext jsc, Source source, int expectedWidth,
      String widthSource, int partitions, int blockRows, long firstRow, long rows,
      boolean allowEmpty) {
    InputConfig config = source.config();
    if (rows == 0 && allowEmpty) {
      return empty(jsc, expectedWidth, partitions, blockRows);
    }
    RowIdRangePartitioner ranges = new RowIdRangePartitioner(firstRow, rows, partitions);
    JavaRDD<Integer> tasks = tasks(jsc, source.locations(), ranges, partitions);
    LongAccumulator skipped = jsc.sc().longAccumulator("gsae: invalid rows skipped");
    InvalidRows invalid = new InvalidRows(config.onInvalid(), source.files(), skipped);

    jsc.setJobDescription("gsae: read and validate activation store " + config.path());
    JavaRDD<RowBlock> blocks = null;
    try {
      int dIn = expectedWidth;
      String width = widthSource;
      if (dIn == 0) {
        // The probe's skipped rows are counted again by the packing: it gets its own counter.
        InvalidRows probeInvalid = new InvalidRows(config.onInvalid(), source.files(),
            jsc.sc().longAccumulator());
        long[] first = firstValidRow(tasks.mapPartitionsWithIndex(RangeBlocks.firstValid(
            source.files(), source.conf(), config.column(), source.type(), probeInvalid, ranges),
            true), partitions);
        if (first == null) {
          if (allowEmpty) {
            return empty(jsc, 0, partitions, blockRows);
          }
          throw noValidRow(config);
        }
        dIn = (int) first[1];
        width = firstRowWidth(source.files().value(), first[0]);
      }
      if ((long) blockRows * dIn > Integer.MAX_VALUE - 16) {
        throw Errors.usage("a block of " + blockRows + " rows of width " + dIn
            + " exceeds the 2^31 floats a Java array holds", "block rows",
            "use fewer rows per block");
      }
      blocks = blocks(tasks, source, invalid, ranges, dIn, width, blockRows);
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
      PackedStore packed = new PackedStore(blocks, dIn, width, partitionRows, rows, blockRows);
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
   * The valid rows {@code [firstRow, firstRow + rows)} of width {@code width} as blocks, read
   * by each action anew: not persisted, not counted, no job run here. For a single pass (the
   * analysis), which would otherwise cache a whole store it reads once. Invalid rows meet
   * {@code input.on_invalid} in that pass.
   */
  static JavaRDD<RowBlock> stream(JavaSparkContext jsc, Source source, int width,
      String widthSource, int partitions, int blockRows, long firstRow, long rows) {
    if (rows == 0) {
      return jsc.parallelize(List.of(), partitions);
    }
    RowIdRangePartitioner ranges = new RowIdRangePartitioner(firstRow, rows, partitions);
    InvalidRows invalid = new InvalidRows(source.config().onInvalid(), source.files(),
        jsc.sc().longAccumulator("gsae: invalid rows skipped"));
    return blocks(tasks(jsc, source.locations(), ranges, partitions), source, invalid, ranges,
        width, widthSource, blockRows);
  }

  private static JavaRDD<RowBlock> blocks(JavaRDD<Integer> tasks, Source source,
      InvalidRows invalid, RowIdRangePartitioner ranges, int dIn, String widthSource,
      int blockRows) {
    JavaRDD<RowBlock> blocks = tasks.mapPartitionsWithIndex(new RangeBlocks(source.files(),
        source.conf(), source.config().column(), source.type(), invalid, ranges, dIn,
        widthSource, blockRows), true);
    blocks.setName("gsae row blocks of " + source.config().path());
    return blocks;
  }

  /**
   * One element per partition ({@code p}), each preferring the hosts that store the bytes of
   * its {@code row_id} range ({@link RangeLocations}).
   */
  static JavaRDD<Integer> tasks(JavaSparkContext jsc, RangeLocations locations,
      RowIdRangePartitioner ranges, int partitions) {
    List<Tuple2<Integer, Seq<String>>> located = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      List<String> hosts = locations.hosts(ranges.start(p), ranges.end(p));
      located.add(new Tuple2<>(p, JavaConverters.asScalaBufferConverter(hosts).asScala().toSeq()));
    }
    return jsc.sc().makeRDD(JavaConverters.asScalaBufferConverter(located).asScala().toSeq(),
        anyRef()).toJavaRDD();
  }

  /**
   * The class tag {@code JavaSparkContext.parallelize} uses: a task's elements then travel as
   * an {@code Object[]}, which Spark registers with Kryo ({@code Integer[]} is not, and a
   * cluster with {@code spark.kryo.registrationRequired=true} refuses it).
   */
  @SuppressWarnings("unchecked")
  private static ClassTag<Integer> anyRef() {
    return (ClassTag<Integer>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
  }

  /**
   * {@code [row_id, width]} of the first valid row (of the first partition that has one), or
   * null when there is none. Probes partitions in growing batches, so usually one job reads
   * the start of partition 0.
   */
  private static long[] firstValidRow(JavaRDD<long[]> firsts, int partitions) {
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

  private static PackedStore empty(JavaSparkContext jsc, int dIn, int partitions, int blockRows) {
    return new PackedStore(jsc.parallelize(List.<RowBlock>of(), partitions), dIn, "",
        new long[partitions], 0, blockRows);
  }

  static RuntimeException noValidRow(InputConfig config) {
    return Errors.invalidInput("the activation store has no valid row: input.on_invalid = skip "
        + "dropped every row of column '" + config.column() + "' (null, empty, NaN/infinite "
        + "values or the wrong width)", config.path(),
        "check input.column, the model's d_in and the data");
  }

  private static Iterator<Long> countRows(Iterator<RowBlock> blocks) {
    long n = 0;
    while (blocks.hasNext()) {
      n += blocks.next().rows();
    }
    return List.of(n).iterator();
  }
}
