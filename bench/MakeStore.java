// Writes a synthetic activation store for data-path measurements (docs/performance.md):
// ROWS rows of width D_IN in FILES Parquet files, column `activation` array<float> plus
// `example_id`. Each row is a sum of 6 of 512 pseudo-random directions (chosen by a hash of
// the row id) with magnitudes in [0, 2); made by Spark, so no row passes through the driver.
//
//   java -Xmx4g --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
//     --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
//     --add-opens=java.base/java.util=ALL-UNNAMED \
//     --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
//     --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
//     -cp "tests/target/spark-home/jars/*" bench/MakeStore.java OUT ROWS D_IN FILES
//
// (tests/target/spark-home/jars holds the build's Spark jars; `mvn install` makes it.) On the
// project's 2-core machines, 1.2M x 768 in 48 files (3.7 GB) takes about 15 minutes.
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

public class MakeStore {
  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: MakeStore OUT ROWS D_IN FILES");
      System.exit(2);
    }
    long rows = Long.parseLong(args[1]);
    int dIn = Integer.parseInt(args[2]);
    int files = Integer.parseInt(args[3]);
    SparkSession spark = SparkSession.builder().master("local[*]").appName("make-store")
        .getOrCreate();
    Dataset<Row> d = spark.range(0, rows, 1, files).select(functions.col("id"));
    StringBuilder sum = new StringBuilder("transform(sequence(0, " + (dIn - 1) + "), j -> ");
    for (int k = 0; k < 6; k++) {
      d = d.withColumn("f" + k, functions.expr("pmod(xxhash64(id, " + k + "), 512)"))
          .withColumn("a" + k, functions.expr("pmod(xxhash64(id, " + (k + 10) + "), 1000) / 500.0"));
      sum.append(k == 0 ? "" : " + ").append("a").append(k).append(" * (pmod(f").append(k)
          .append(" * 7919 + j * 104729 + f").append(k).append(" * j * 31, 2001) - 1000) / 1000.0");
    }
    sum.append(")");
    d.select(functions.col("id").as("example_id"), functions.expr(sum.toString())
            .cast(DataTypes.createArrayType(DataTypes.FloatType)).as("activation"))
        .write().mode("overwrite").parquet(args[0]);
    spark.stop();
  }
}
