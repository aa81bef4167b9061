package org.gsae.spark.analysis;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.metrics.TopKExamples;
import org.gsae.spark.output.OutputColumns;
import org.gsae.spark.store.ActivationStore;

/**
 * {@code top_examples.parquet}: for each feature up to k rows, strongest first, as
 * {@code feature_id int, rank int} (1 = strongest), {@code activation float},
 * {@code row_id long}, then every metadata column of the input row, unchanged and in the
 * store's column order. Ties in activation rank the smaller {@code row_id} first (the order
 * of {@link TopKExamples}), so the table is the same for every partitioning and run.
 *
 * <p>The ranked pairs (at most {@code d_sae * k}) are made on the executors from a broadcast
 * of the merged heaps, then joined with the store's metadata on {@code row_id}: the store side
 * is a scan of the metadata columns only (the activation column is never read), and the
 * ranked side is broadcast when it is small enough, so the store is never collected nor
 * shuffled in that case.
 */
final class TopExamplesTable {
  /** The columns before the metadata columns. */
  static final StructType RANKED = new StructType()
      .add("feature_id", DataTypes.IntegerType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("activation", DataTypes.FloatType, false)
      .add(ActivationStore.ROW_ID, DataTypes.LongType, false);

  /** Up to this many ranked rows are broadcast to the join; more are joined by a shuffle. */
  static final long BROADCAST_MAX_ROWS = 2_000_000;
  /** Ranked rows per output Parquet file. */
  static final long ROWS_PER_FILE = 1_000_000;
  /** Features per partition when the ranked pairs are expanded. */
  private static final int FEATURES_PER_SLICE = 1 << 16;

  private TopExamplesTable() {}

  /** Number of ranked rows: the sum over features of {@code min(k, fire count)}. */
  static long rankedRows(TopKExamples top) {
    long n = 0;
    for (int j = 0; j < top.dSae(); j++) {
      n += top.count(j);
    }
    return n;
  }

  /** {@link #RANKED} rows from a broadcast of the merged heaps. */
  static Dataset<Row> ranked(SparkSession spark, Broadcast<TopKExamples> top) {
    int dSae = top.value().dSae();
    int slices = Math.max(1, (dSae + FEATURES_PER_SLICE - 1) / FEATURES_PER_SLICE);
    JavaRDD<Row> rows = spark.range(0, dSae, 1, slices).javaRDD().flatMap(j -> {
      int feature = Math.toIntExact(j);
      List<TopKExamples.Example> examples = top.value().examples(feature);
      List<Row> out = new ArrayList<>(examples.size());
      for (int r = 0; r < examples.size(); r++) {
        TopKExamples.Example e = examples.get(r);
        out.add(RowFactory.create(feature, r + 1, e.activation(), e.rowId()));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, RANKED);
  }

  /**
   * The ranked rows with each row's metadata columns, sorted by {@code (feature_id, rank)}.
   *
   * @param rankedRows number of ranked rows (decides broadcast and file count)
   */
  static Dataset<Row> withMetadata(Dataset<Row> ranked, long rankedRows, ActivationStore store) {
    return withMetadata(ranked, rankedRows, store, "feature_id", "rank");
  }

  /**
   * Any per-feature table keyed by {@code row_id} (the columns of {@code ranked} first, then
   * the row's metadata columns), sorted by {@code sortBy}, the first of which is
   * {@code feature_id}. The store side is a scan of the metadata columns only.
   *
   * @param rankedRows number of rows of {@code ranked} (decides broadcast and file count)
   */
  static Dataset<Row> withMetadata(Dataset<Row> ranked, long rankedRows, ActivationStore store,
      String... sortBy) {
    List<Column> metaColumns = new ArrayList<>();
    metaColumns.add(functions.col(ActivationStore.ROW_ID));
    List<Column> output = new ArrayList<>();
    for (String name : ranked.columns()) {
      output.add(functions.col("r." + name));
    }
    for (String name : store.metadataColumns()) {
      metaColumns.add(OutputColumns.literal(name));
      output.add(functions.col("m." + OutputColumns.quote(name)));
    }
    Dataset<Row> metadata = store.withRowIds().select(metaColumns.toArray(new Column[0])).as("m");
    Dataset<Row> small = (rankedRows <= BROADCAST_MAX_ROWS ? functions.broadcast(ranked) : ranked)
        .as("r");
    Dataset<Row> joined = metadata
        .join(small, functions.col("m." + ActivationStore.ROW_ID)
            .equalTo(functions.col("r." + ActivationStore.ROW_ID)))
        .select(output.toArray(new Column[0]));
    int files = (int) Math.max(1, (rankedRows + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
    Column[] keys = new Column[sortBy.length];
    for (int i = 0; i < sortBy.length; i++) {
      keys[i] = functions.col(sortBy[i]);
    }
    Dataset<Row> spread = files == 1 ? joined.repartition(1) : joined.repartitionByRange(files, keys);
    return spread.sortWithinPartitions(keys);
  }
}
