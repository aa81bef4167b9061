package org.gsae.spark.encode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.io.Json;
import org.gsae.core.io.LoadedModel;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.Provenance;
import org.gsae.core.model.AlignedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.spark.output.OutputColumns;
import org.gsae.spark.output.OutputLock;
import org.gsae.spark.output.ReplaceableOutput;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.FileTable;
import org.gsae.spark.store.InvalidRows;
import org.gsae.spark.store.TaskFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code encode} job (docs/architecture.md §5): load the model, open the store with the model's
 * {@code d_in} as the required width, run {@link EncodeTask} over every partition of the
 * store's file scan (a narrow map: output partition p holds the valid rows of input
 * partition p, in order), and publish the Parquet dataset at {@code outputPath} atomically
 * (written into a hidden sibling, then renamed; an earlier output is replaced only once the
 * new one is complete, and only if it is an earlier encode output or an empty directory,
 * see {@link ReplaceableOutput}). The dataset directory also holds
 * {@value #MARKER}, a provenance record that Parquet readers ignore.
 *
 * <p>{@code row_id} is written so that codes can be joined with {@code top_examples.parquet}
 * and put back in store order. Because the store reader reserves that name, an encode output
 * is not itself an activation store; drop {@code row_id} to read its {@code reconstruction}
 * column as one.
 */
public final class EncodeRun {
  /** The marker (and provenance record) of an encode output, beside its part files. */
  public static final String MARKER = "_gsae_encode.json";
  private static final Logger LOG = LoggerFactory.getLogger(EncodeRun.class);

  private final SparkSession spark;
  private final EncodeSpec spec;

  /**
   * @param spark the session to run on (not stopped by the run)
   * @param spec  what to read and write
   */
  public EncodeRun(SparkSession spark, EncodeSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  /** Runs the job; user-facing failures are {@link org.gsae.core.error.GsaeException}s. */
  public EncodeReport run() {
    try (OutputLock lock = OutputLock.claim(spark.sparkContext().hadoopConfiguration(),
        "--input", spec.input().path(), "--output", spec.outputPath())) {
      return runOwning();
    }
  }

  private EncodeReport runOwning() {
    long t0 = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    LoadedModel model = ModelDirectory.load(new Path(spec.modelPath()), conf);
    SaeParameters p = model.params();
    FileSystem fs = HadoopFiles.fileSystem(new Path(spec.outputPath()), conf);
    Path out = fs.makeQualified(new Path(spec.outputPath()));
    ReplaceableOutput.check(fs, out, MARKER, "encode",
        name -> name.equals(MARKER) || ReplaceableOutput.isSparkDatasetEntry(name));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (ActivationStore store = ActivationStore.open(spark, spec.input(), OptionalInt.of(p.dIn()))) {
      OutputColumns.requireNoClash(store,
          EncodeSchema.addedColumns(spec.dense(), spec.reconstruct()), "the encode output");
      StructType metadata = EncodeSchema.metadata(store);
      StructType schema = EncodeSchema.of(store, spec.dense(), spec.reconstruct());
      List<Column> columns = new ArrayList<>();
      for (String name : metadata.fieldNames()) {
        columns.add(OutputColumns.literal(name));
      }
      columns.add(OutputColumns.literal(ActivationStore.ROW_ID));
      columns.add(OutputColumns.literal(spec.input().column()));
      JavaRDD<InternalRow> source = store.withRowIds().select(columns.toArray(new Column[0]))
          .queryExecution().toRdd().toJavaRDD();

      Broadcast<float[]> params = jsc.broadcast(p.toFlat());
      Broadcast<FileTable> files = jsc.broadcast(store.files());
      LongAccumulator skipped = jsc.sc().longAccumulator("gsae encode: invalid rows skipped");
      LongAccumulator encoded = jsc.sc().longAccumulator("gsae encode: rows encoded");
      LongAccumulator active = jsc.sc().longAccumulator("gsae encode: active features");
      try {
        JavaRDD<Row> rows = source.mapPartitions(new EncodeTask(params, p.dIn(), p.dSae(),
            store.activationType(), spec.input().column(), metadata,
            new InvalidRows(spec.input().onInvalid(), files, skipped), encoded, active,
            spec.dense(), spec.reconstruct(),
            AlignedEncoder.blockRows(AlignedEncoder.batchSize(spec.batchSize(), p.dSae()),
                store.totalRows())), true);
        Dataset<Row> codes = spark.createDataFrame(rows, schema);
        int partitions = source.getNumPartitions();
        AtomicDirectoryWriter.write(out, true, conf, (wfs, tmp) -> {
          jsc.setJobDescription("gsae encode: " + spec.input().path() + " -> " + out);
          try {
            TaskFailures.rethrowing(() -> {
              codes.write().mode(SaveMode.Overwrite).parquet(tmp.toString());
              return null;
            });
          } finally {
            jsc.setJobDescription(null);
          }
          HadoopFiles.writeBytes(wfs, new Path(tmp, MARKER),
              marker(p, store, partitions, encoded.value(), store.totalRows() - encoded.value()));
        });
        long n = encoded.value();
        double wall = (System.nanoTime() - t0) / 1e9;
        LOG.info("encoded {} rows ({} skipped) of {} into {} in {} s", n, store.totalRows() - n,
            spec.input().path(), out, String.format("%.1f", wall));
        return new EncodeReport(n, store.totalRows() - n, p.dIn(), p.dSae(), partitions,
            spec.dense(), spec.reconstruct(), n == 0 ? Double.NaN : (double) active.value() / n,
            out.toString(), wall);
      } finally {
        params.destroy();
        files.destroy();
      }
    }
  }

  private byte[] marker(SaeParameters p, ActivationStore store, int partitions, long rows,
      long skipped) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "encode");
    m.put("model", spec.modelPath());
    m.put("d_in", p.dIn());
    m.put("d_sae", p.dSae());
    m.put("input", spec.input().path());
    m.put("column", spec.input().column());
    m.put("on_invalid", spec.input().onInvalid().name().toLowerCase(Locale.ROOT));
    m.put("codes", spec.dense() ? "dense" : "sparse");
    m.put("reconstruction", spec.reconstruct());
    m.put("batch_size", AlignedEncoder.batchSize(spec.batchSize(), p.dSae()));
    m.put("partitions", partitions);
    m.put("store_rows", store.totalRows());
    m.put("rows", rows);
    m.put("skipped_rows", skipped);
    m.put("gsae_version", Provenance.currentGsaeVersion());
    m.put("created_at", Instant.now().toString());
    return Json.write(m);
  }
}
