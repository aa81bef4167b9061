package org.gsae.spark.demo;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.data.SyntheticActivations;

/**
 * Writes {@link SyntheticActivations} as a Parquet activation store with metadata columns,
 * the way an activation dump of a transformer looks: {@code example_id long}, {@code doc_id int},
 * {@code position int}, {@code token string} (here the names of the true features active in
 * the row, e.g. {@code "f12+f40"}, so top-activating examples can be read against the truth),
 * and {@code activation array<float>}.
 */
public final class SyntheticStore {
  /** Tokens per synthetic "document". */
  static final int DOC_LENGTH = 128;

  private SyntheticStore() {}

  public static final StructType SCHEMA = new StructType()
      .add("example_id", DataTypes.LongType, false)
      .add("doc_id", DataTypes.IntegerType, false)
      .add("position", DataTypes.IntegerType, false)
      .add("token", DataTypes.StringType, false)
      .add("activation", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  /**
   * Writes the rows, in order, into {@code files} Parquet files under {@code path}.
   *
   * @param path  any Hadoop path (overwritten)
   * @param files number of Parquet files (>= 1)
   */
  public static void write(SparkSession spark, String path, SyntheticActivations s, int files) {
    int n = s.data().dIn();
    int k = s.features();
    List<Row> rows = new ArrayList<>(s.data().rows());
    float[] x = s.data().data();
    float[] codes = s.codes();
    for (int r = 0; r < s.data().rows(); r++) {
      float[] v = new float[n];
      System.arraycopy(x, r * n, v, 0, n);
      StringBuilder token = new StringBuilder();
      for (int j = 0; j < k; j++) {
        if (codes[r * k + j] != 0) {
          token.append(token.length() == 0 ? "" : "+").append('f').append(j);
        }
      }
      rows.add(RowFactory.create((long) r, r / DOC_LENGTH, r % DOC_LENGTH,
          token.length() == 0 ? "<none>" : token.toString(), v));
    }
    // A single ordered partition split by row ranges keeps the store order across files.
    spark.createDataFrame(rows, SCHEMA).repartitionByRange(files, org.apache.spark.sql.functions.col("example_id"))
        .sortWithinPartitions("example_id")
        .write().mode(SaveMode.Overwrite).parquet(path);
  }
}
