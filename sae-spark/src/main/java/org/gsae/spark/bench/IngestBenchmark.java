package org.gsae.spark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.PackOptions;
import org.gsae.spark.store.PackedStore;
import org.gsae.spark.store.TaskFailures;

/**
 * How fast the store reader turns Parquet activations into packed {@code float[]} blocks (the
 * work of {@link ActivationStore#pack}: reading the activation column's Parquet pages, decoding,
 * validating and packing each row, caching the blocks), for each activation type a store may use: {@code array<float>},
 * {@code array<double>} and ML {@code Vector}. Writes a store of {@code rows} rows of width
 * {@code dIn} per type into a temporary local directory (one Parquet file per core), packs it
 * once to warm up and then {@code repeats} times, timing each pack.
 * Throughput is the packed float32 bytes per second per core (the session's cores all work:
 * one partition per core).
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  /**
   * One type's result.
   *
   * @param type           the activation column's type
   * @param rows           rows packed
   * @param seconds        median pack time of the timed repeats
   * @param mbPerSecondPerCore packed MB (10^6 bytes of float32) per second per core
   */
  public record Result(String type, long rows, int dIn, int cores, double seconds,
      double mbPerSecondPerCore) {
    /** One line: rows, time and MB/s per core (the type is the caller's label). */
    public String render() {
      return String.format(Locale.ROOT, "%,d rows x %d: pack %.2f s = %.0f MB/s per core"
          + " (%d cores)", rows, dIn, seconds, mbPerSecondPerCore, cores);
    }
  }

  /**
   * @param rows    rows of each store, >= 1
   * @param dIn     activation width, >= 1
   * @param repeats timed packs per type, >= 1
   */
  public static List<Result> run(SparkSession spark, int rows, int dIn, int repeats) {
    int cores = spark.sparkContext().defaultParallelism();
    List<Result> out = new ArrayList<>();
    Path dir;
    try {
      dir = Files.createTempDirectory("gsae-ingest-");
    } catch (IOException e) {
      throw Errors.io("creating a temporary directory for the ingest benchmark",
          System.getProperty("java.io.tmpdir"), e);
    }
    try {
      measure(spark, dir, rows, dIn, repeats, cores, out);
    } finally {
      try {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir.toUri());
        HadoopFiles.fileSystem(p, spark.sparkContext().hadoopConfiguration()).delete(p, true);
      } catch (IOException e) {
        // a temporary directory left behind is harmless
      }
    }
    return out;
  }

  private static void measure(SparkSession spark, Path dir, int rows, int dIn, int repeats,
      int cores, List<Result> out) {
    String[] names = {"array<float>", "array<double>", "Vector"};
    for (int t = 0; t < names.length; t++) {
      String store = dir.resolve("store-" + t).toUri().toString();
      write(spark, store, rows, dIn, t, cores);
      double[] times = new double[repeats];
      for (int r = -1; r < repeats; r++) {
        long t0 = System.nanoTime();
        try (ActivationStore s = ActivationStore.open(spark, InputConfig.of(store));
             PackedStore packed = TaskFailures.rethrowing(() -> s.pack(new PackOptions(cores,
                 PackOptions.DEFAULT_BLOCK_ROWS)))) {
          if (packed.validRows() != rows) {
            throw new IllegalStateException("packed " + packed.validRows() + " of " + rows
                + " rows");
          }
        }
        if (r >= 0) {
          times[r] = (System.nanoTime() - t0) / 1e9;
        }
      }
      Arrays.sort(times);
      double median = times[repeats / 2];
      out.add(new Result(names[t], rows, dIn, cores, median,
          4.0 * rows * dIn / 1e6 / median / cores));
    }
  }

  /** The store, made by Spark (no rows on the driver): element j of row i is sin(i/1000 + j). */
  private static void write(SparkSession spark, String path, int rows, int dIn, int type,
      int files) {
    Column values = functions.expr(
        "transform(sequence(0, " + (dIn - 1) + "), j -> sin(id * 0.001 + j))");
    Column activation = switch (type) {
      case 0 -> values.cast(DataTypes.createArrayType(DataTypes.FloatType));
      case 1 -> values.cast(DataTypes.createArrayType(DataTypes.DoubleType));
      default -> org.apache.spark.ml.functions.array_to_vector(values);
    };
    spark.range(0, rows, 1, files)
        .select(functions.col("id").as("example_id"), activation.as("activation"))
        .write().parquet(path);
  }
}
