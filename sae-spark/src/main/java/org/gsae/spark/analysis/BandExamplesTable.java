package org.gsae.spark.analysis;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.metrics.ActivationHistograms;
import org.gsae.core.metrics.BandSamples;
import org.gsae.spark.store.ActivationStore;

/**
 * {@code band_examples.parquet}: for each feature and activation band, a deterministic sample of
 * up to k rows whose activation falls in the band ({@link BandSamples}), as
 * {@code feature_id int, band int, band_low float, band_high float, rank int} (position in the
 * sample), {@code activation float}, {@code row_id long}, then every metadata column of the
 * input row, sorted by {@code (feature_id, band, rank)}. A band covers
 * {@code [band_low, band_high)}; the lowest band also holds activations below 1e-4 and the
 * highest those at or above 1e4.
 */
final class BandExamplesTable {
  /** The columns before the metadata columns. */
  static final StructType SAMPLED = new StructType()
      .add("feature_id", DataTypes.IntegerType, false)
      .add("band", DataTypes.IntegerType, false)
      .add("band_low", DataTypes.FloatType, false)
      .add("band_high", DataTypes.FloatType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("activation", DataTypes.FloatType, false)
      .add(ActivationStore.ROW_ID, DataTypes.LongType, false);

  private static final int FEATURES_PER_SLICE = 1 << 14;

  private BandExamplesTable() {}

  /** {@link #SAMPLED} rows from a broadcast of the merged samples. */
  static Dataset<Row> sampled(SparkSession spark, Broadcast<BandSamples> samples) {
    int dSae = samples.value().dSae();
    int slices = Math.max(1, (dSae + FEATURES_PER_SLICE - 1) / FEATURES_PER_SLICE);
    float[] edges = ActivationHistograms.binEdges();
    JavaRDD<Row> rows = spark.range(0, dSae, 1, slices).javaRDD().flatMap(j -> {
      int feature = Math.toIntExact(j);
      List<Row> out = new ArrayList<>();
      for (int band = 0; band < BandSamples.BANDS; band++) {
        List<BandSamples.Example> ex = samples.value().examples(feature, band);
        for (int r = 0; r < ex.size(); r++) {
          out.add(RowFactory.create(feature, band, edges[band * BandSamples.BINS_PER_BAND],
              edges[(band + 1) * BandSamples.BINS_PER_BAND], r + 1, ex.get(r).activation(),
              ex.get(r).rowId()));
        }
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, SAMPLED);
  }

  /** The sampled rows with their metadata, sorted by {@code (feature_id, band, rank)}. */
  static Dataset<Row> withMetadata(Dataset<Row> sampled, long rows, ActivationStore store) {
    return TopExamplesTable.withMetadata(sampled, rows, store, "feature_id", "band", "rank");
  }
}
