package org.gsae.spark.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.spark.SparkTestSession;
import org.gsae.testing.StoreValues;

/**
 * Parquet fixtures written by Spark itself. Row {@code g} of a fixture store (its position in
 * path order) has {@code example_id = g}, {@code token = "t" + g} and activation element
 * {@code j} = {@link #value(long, int)}, exact in float32 and float64, so every reader path
 * can be checked against the same numbers.
 */
final class StoreFixtures {
  static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);
  static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType);
  static final DataType VECTOR = SQLDataTypes.VectorType();

  private StoreFixtures() {}

  static SparkSession spark() {
    return SparkTestSession.get();
  }

  /** Element {@code j} of row {@code g}: {@link StoreValues#value(long, int)}. */
  static float value(long g, int j) {
    return StoreValues.value(g, j);
  }

  /** Row {@code g} as {@code [d_in]}. */
  static float[] values(long g, int dIn) {
    float[] v = new float[dIn];
    for (int j = 0; j < dIn; j++) {
      v[j] = value(g, j);
    }
    return v;
  }

  /** {@code example_id long, token string, <column> type}. */
  static StructType schema(String column, DataType type) {
    return new StructType()
        .add("example_id", DataTypes.LongType)
        .add("token", DataTypes.StringType)
        .add(column, type);
  }

  /** The activation cell of {@code values} for a column of {@code type}. */
  static Object cell(float[] values, DataType type) {
    if (values == null) {
      return null;
    }
    if (type.equals(FLOATS)) {
      Float[] boxed = new Float[values.length];
      for (int i = 0; i < values.length; i++) {
        boxed[i] = values[i];
      }
      return Arrays.asList(boxed);
    }
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    if (type.equals(DOUBLES)) {
      return Arrays.asList(Arrays.stream(d).boxed().toArray(Double[]::new));
    }
    if (type.equals(VECTOR)) {
      return Vectors.dense(d);
    }
    throw new IllegalArgumentException("no fixture cell for " + type);
  }

  /** Rows {@code g = from .. from + count - 1} with valid activations of width {@code dIn}. */
  static List<Row> rows(long from, int count, int dIn, DataType type) {
    List<Row> rows = new ArrayList<>();
    for (long g = from; g < from + count; g++) {
      rows.add(row(g, cell(values(g, dIn), type)));
    }
    return rows;
  }

  static Row row(long g, Object activation) {
    return RowFactory.create(g, "t" + g, activation);
  }

  /**
   * Writes {@code rows} (in this order) as one Parquet file at {@code target} and returns
   * its URI string. Spark writes a directory; its single part file is moved to the target.
   */
  static String writeFile(String target, StructType schema, List<Row> rows,
      Map<String, String> options) {
    String tmp = target + ".writing";
    spark().createDataFrame(rows, schema).coalesce(1).write().options(options).parquet(tmp);
    try {
      Configuration conf = spark().sparkContext().hadoopConfiguration();
      Path dir = new Path(tmp);
      FileSystem fs = dir.getFileSystem(conf);
      Path part = null;
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.getPath().getName().startsWith("part-") && s.getPath().getName().endsWith(".parquet")) {
          part = s.getPath();
        }
      }
      if (part == null) {
        throw new IllegalStateException("Spark wrote no part file under " + tmp);
      }
      Path out = new Path(target);
      fs.mkdirs(out.getParent());
      if (!fs.rename(part, out)) {
        throw new IllegalStateException("could not move " + part + " to " + out);
      }
      fs.delete(dir, true);
      return fs.makeQualified(out).toUri().toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String writeFile(String target, StructType schema, List<Row> rows) {
    return writeFile(target, schema, rows, Map.of());
  }

  /** Writes a file of arbitrary bytes (not Parquet). */
  static void writeText(String target, String text) {
    try {
      Path p = new Path(target);
      FileSystem fs = p.getFileSystem(spark().sparkContext().hadoopConfiguration());
      try (var out = fs.create(p, true)) {
        out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All blocks of {@code packed} in store order (partition order, then block order). */
  static List<RowBlock> blocksInOrder(PackedStore packed) {
    List<RowBlock> out = new ArrayList<>();
    for (List<RowBlock> part : packed.blocks().glom().collect()) {
      out.addAll(part);
    }
    return out;
  }
}
