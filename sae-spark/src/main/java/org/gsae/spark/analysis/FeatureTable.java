package org.gsae.spark.analysis;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.analysis.DecoderSharpness;
import org.gsae.core.metrics.ActivationHistograms;
import org.gsae.core.metrics.FeatureStats;

/**
 * {@code features.parquet}: one row per feature j in {@code 0..d_sae-1}, columns
 * {@link #SCHEMA}. Built on the driver from the merged {@link FeatureStats} and the decoder
 * {@code W_dec [d_sae, d_in]} as primitive arrays (O(d_sae)); the rows themselves are made on
 * the executors from a broadcast copy, so no {@code d_sae}-long list of rows lives on the driver.
 *
 * <p>{@code activation_histogram} counts the feature's active rows in the
 * {@link ActivationHistograms#BINS} bins of {@link ActivationHistograms} (eighths of a decade
 * from 1e-4 to 1e4; values beyond fall in the edge bins).
 *
 * <p>A dead feature (never fired) has {@code fire_count = 0}, {@code frequency = 0},
 * {@code log10_frequency = -10}, and 0 for {@code mean_activation} and {@code max_activation}
 * ({@code dead} tells it apart from a live one).
 */
public final class FeatureTable implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The columns of {@code features.parquet}, in order. */
  public static final StructType SCHEMA = new StructType()
      .add("feature_id", DataTypes.IntegerType, false)
      .add("fire_count", DataTypes.LongType, false)
      .add("frequency", DataTypes.DoubleType, false)
      .add("log10_frequency", DataTypes.DoubleType, false)
      .add("mean_activation", DataTypes.DoubleType, false)
      .add("max_activation", DataTypes.FloatType, false)
      .add("dead", DataTypes.BooleanType, false)
      .add("decoder_norm", DataTypes.FloatType, false)
      .add("decoder_kurtosis", DataTypes.DoubleType, false)
      .add("activation_histogram", DataTypes.createArrayType(DataTypes.LongType, false), false);

  /** Features per output partition (and so per Parquet file). */
  static final int ROWS_PER_FILE = 1 << 20;

  private final long[] fireCount;
  private final double[] frequency;
  private final double[] logFrequency;
  private final double[] meanActivation;
  private final float[] maxActivation;
  private final float[] decoderNorm;
  private final double[] decoderKurtosis;
  private final ActivationHistograms histograms;

  private FeatureTable(FeatureStats stats, float[] decoderNorm, double[] decoderKurtosis,
      ActivationHistograms histograms) {
    this.fireCount = stats.fireCounts();
    this.frequency = stats.frequencies();
    this.logFrequency = stats.logFrequencies();
    this.meanActivation = stats.meanActiveActivations();
    this.maxActivation = stats.maxActivations();
    this.decoderNorm = decoderNorm;
    this.decoderKurtosis = decoderKurtosis;
    this.histograms = histograms;
  }

  /**
   * @param stats per-feature statistics over the whole store
   * @param histograms per-feature activation histograms over the same rows
   * @param wDec  {@code W_dec [d_sae, d_in]} row-major
   */
  public static FeatureTable of(FeatureStats stats, ActivationHistograms histograms, float[] wDec,
      int dIn) {
    int dSae = stats.dSae();
    return new FeatureTable(stats, decoderNorms(wDec, dSae, dIn),
        DecoderSharpness.of(wDec, dSae, dIn).perFeature(), histograms);
  }

  /** {@code ||W_dec[j]||} per feature [d_sae], summed in double. */
  static float[] decoderNorms(float[] wDec, int dSae, int dIn) {
    float[] norms = new float[dSae];
    for (int j = 0; j < dSae; j++) {
      double s = 0;
      for (int i = 0; i < dIn; i++) {
        double w = wDec[j * dIn + i];
        s += w * w;
      }
      norms[j] = (float) Math.sqrt(s);
    }
    return norms;
  }

  /** m = {@code d_sae}, the number of rows. */
  public int dSae() {
    return fireCount.length;
  }

  /** Row {@code j} in {@link #SCHEMA} order. */
  public Row row(int j) {
    return RowFactory.create(j, fireCount[j], frequency[j], logFrequency[j], meanActivation[j],
        maxActivation[j], fireCount[j] == 0, decoderNorm[j], decoderKurtosis[j],
        histograms.histogram(j));
  }

  /**
   * The table as a DataFrame ordered by {@code feature_id}, built on the executors from
   * {@code self} (a broadcast of this table, which the caller destroys after writing).
   */
  static Dataset<Row> toDataFrame(SparkSession spark, Broadcast<FeatureTable> self) {
    int dSae = self.value().dSae();
    int slices = Math.max(1, (dSae + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
    JavaRDD<Row> rows = spark.range(0, dSae, 1, slices).javaRDD()
        .map(j -> self.value().row(Math.toIntExact(j)));
    return spark.createDataFrame(rows, SCHEMA);
  }
}
