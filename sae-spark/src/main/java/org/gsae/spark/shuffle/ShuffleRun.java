package org.gsae.spark.shuffle;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.io.Json;
import org.gsae.core.io.Provenance;
import org.gsae.spark.output.OutputColumns;
import org.gsae.spark.output.OutputLock;
import org.gsae.spark.output.ReplaceableOutput;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.TaskFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code shuffle} job: a globally shuffled copy of an activation store, for stores written
 * in document or token order, where consecutive rows are far from independent (a training
 * window of consecutive rows would then be poorly mixed).
 *
 * <p>Each row gets a key, the 64-bit hash of ({@code seed}, its {@code row_id}); rows go to
 * part file {@code pmod(key, files)} (Spark's hash partitioning of that number) and are sorted
 * by (key, {@code row_id}) inside it. So every part file is a uniformly drawn subset of the
 * store in uniformly random order, and reading the parts in name order reads the store in a
 * seeded random order. The output depends only on the store (its files, their order and
 * contents), the seed and the file count: the same inputs give the same rows in the same files
 * and order. Every column is carried through unchanged ({@code row_id} is the input's and is
 * not written: the copy is a store of its own, whose row ids are its new positions).
 *
 * <p>The output is written like {@code encode}'s: atomically, replacing only an earlier shuffle
 * output (marker {@value #MARKER}, which also records the provenance), after the same
 * overlap, write and lock checks.
 */
public final class ShuffleRun {
  /** The marker and provenance record of a shuffle output, beside its part files. */
  public static final String MARKER = "_gsae_shuffle.json";
  private static final Logger LOG = LoggerFactory.getLogger(ShuffleRun.class);
  private static final String KEY = "_gsae_shuffle_key";

  private final SparkSession spark;
  private final ShuffleSpec spec;

  public ShuffleRun(SparkSession spark, ShuffleSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  /** Runs the job; user-facing failures are {@link org.gsae.core.error.GsaeException}s. */
  public ShuffleReport run() {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try (OutputLock lock = OutputLock.claim(conf, "--input", spec.input().path(), "--output",
        spec.outputPath())) {
      FileSystem fs = HadoopFiles.fileSystem(new Path(spec.outputPath()), conf);
      Path out = fs.makeQualified(new Path(spec.outputPath()));
      ReplaceableOutput.check(fs, out, MARKER, "shuffle",
          name -> name.equals(MARKER) || ReplaceableOutput.isSparkDatasetEntry(name));
      return runOwning(conf, out);
    }
  }

  private ShuffleReport runOwning(Configuration conf, Path out) {
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (ActivationStore store = ActivationStore.open(spark, spec.input())) {
      Dataset<Row> rows = store.withRowIds();
      Column rowId = functions.col(ActivationStore.ROW_ID);
      Column key = functions.xxhash64(functions.lit(spec.seed()), rowId);
      // The store's own columns only: not row_id and the source columns withRowIds adds.
      Column[] kept = Arrays.stream(store.schema().fieldNames())
          .map(OutputColumns::literal)
          .toArray(Column[]::new);
      Dataset<Row> shuffled = rows.withColumn(KEY, key)
          .repartition(spec.files(),
              functions.pmod(functions.col(KEY), functions.lit((long) spec.files())))
          .sortWithinPartitions(functions.col(KEY), rowId)
          .select(kept);
      long total = store.totalRows();
      AtomicDirectoryWriter.write(out, true, conf, (wfs, tmp) -> {
        jsc.setJobDescription("gsae shuffle: " + spec.input().path() + " -> " + out);
        try {
          TaskFailures.rethrowing(() -> {
            shuffled.write().mode(SaveMode.Overwrite).parquet(tmp.toString());
            return null;
          });
        } finally {
          jsc.setJobDescription(null);
        }
        HadoopFiles.writeBytes(wfs, new Path(tmp, MARKER), marker(store, total));
      });
      double wall = (System.nanoTime() - t0) / 1e9;
      LOG.info("shuffled {} rows of {} into {} files at {} in {} s", total, spec.input().path(),
          spec.files(), out, String.format("%.1f", wall));
      return new ShuffleReport(total, spec.files(), out.toString(), wall);
    }
  }

  private byte[] marker(ActivationStore store, long rows) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input_path", spec.input().path());
    m.put("input_files", store.files().files());
    m.put("rows", rows);
    m.put("seed", spec.seed());
    m.put("files", spec.files());
    m.put("order", "part file pmod(xxhash64(seed, row_id), files), sorted by (that hash, row_id)");
    m.put("gsae_version", Provenance.currentGsaeVersion());
    return Json.write(m);
  }
}
