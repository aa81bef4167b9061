package org.gsae.spark.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.train.StepMetrics;

/**
 * {@code metrics.parquet}: one row per step ({@code step, loss, mse, l1, aux, l0, lr, lambda,
 * grad_norm, rows}), rewritten atomically at every checkpoint and at the end so it survives a
 * driver loss and never shows a half-written table.
 */
final class MetricsTable {
  static final StructType SCHEMA = new StructType()
      .add("step", DataTypes.LongType, false)
      .add("loss", DataTypes.DoubleType, false)
      .add("mse", DataTypes.DoubleType, false)
      .add("l1", DataTypes.DoubleType, false)
      .add("aux", DataTypes.DoubleType, false)
      .add("l0", DataTypes.DoubleType, false)
      .add("lr", DataTypes.DoubleType, false)
      .add("lambda", DataTypes.DoubleType, false)
      .add("grad_norm", DataTypes.DoubleType, false)
      .add("rows", DataTypes.LongType, false);

  private MetricsTable() {}

  static void write(SparkSession spark, Path target, List<StepMetrics> steps) {
    List<Row> rows = new ArrayList<>(steps.size());
    for (StepMetrics m : steps) {
      rows.add(RowFactory.create(m.step(), m.total(), m.mse(), m.l1(), m.aux(), m.l0(), m.lr(),
          m.lambda(), m.gradNorm(), m.rows()));
    }
    Dataset<Row> df = spark.createDataFrame(rows, SCHEMA).coalesce(1);
    AtomicDirectoryWriter.write(target, true, spark.sparkContext().hadoopConfiguration(),
        (fs, tmp) -> df.write().mode(SaveMode.Overwrite).parquet(tmp.toString()));
  }

  /** The steps recorded in an earlier {@code metrics.parquet} up to {@code maxStep}, or none. */
  static List<StepMetrics> readUpTo(SparkSession spark, Path target, long maxStep) {
    List<StepMetrics> out = new ArrayList<>();
    if (!HadoopFiles.exists(HadoopFiles.fileSystem(target, spark.sparkContext().hadoopConfiguration()), target)) {
      return out;
    }
    // With the schema given: Spark's schema inference job is refused under Kryo registration.
    for (Row r : spark.read().schema(SCHEMA).parquet(target.toString()).orderBy("step")
        .collectAsList()) {
      long step = r.getLong(0);
      if (step <= maxStep) {
        out.add(new StepMetrics(step, r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(1),
            r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getDouble(8), r.getLong(9)));
      }
    }
    return out;
  }
}
