package org.gsae.spark.harvest;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.gsae.core.error.Errors;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.io.Json;
import org.gsae.core.io.Provenance;
import org.gsae.onnx.OnnxActivationModel;
import org.gsae.spark.output.OutputLock;
import org.gsae.spark.output.ReplaceableOutput;
import org.gsae.spark.store.TaskFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * One {@code harvest} job: texts in, a per-token activation store out (docs/architecture.md §5).
 *
 * <p>The texts (lines of text files, or a Parquet string column with the other columns carried
 * as metadata) are numbered in the order Spark reads them ({@code doc_id}; for one text file,
 * its line number from 0), then cut into contiguous doc-id ranges, one task each (a shuffle of
 * the texts only). Each task runs its texts through the executor's model
 * ({@link HarvestModels}: loaded once per executor, texts sorted by length within a chunk to
 * cut padding) and writes a row per token in doc, then position, order: the same input gives the
 * same rows in the same order and files. With {@code --max-tokens}, a first pass counts each
 * range's tokens (the tokenizer only) so the store holds exactly the first N tokens in doc order.
 * The store is published atomically, with {@value #MARKER} (provenance) beside its part files.
 */
public final class HarvestRun {
  /** The marker (and provenance record) of a harvested store. */
  public static final String MARKER = "_gsae_harvest.json";
  /** The class shuffled by a harvest (registered with Kryo). */
  public static final Class<?> DOC_CLASS = HarvestDoc.class;
  /** Texts per task at least, when the input has fewer partitions than the cluster has cores. */
  static final int MIN_DOCS_PER_TASK = 256;
  private static final long PROGRESS_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(HarvestRun.class);

  private final SparkSession spark;
  private final HarvestSpec spec;

  public HarvestRun(SparkSession spark, HarvestSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  /** Runs the job; user-facing failures are {@link org.gsae.core.error.GsaeException}s. */
  public HarvestReport run() {
    try (OutputLock lock = OutputLock.claim(spark.sparkContext().hadoopConfiguration(),
        "--input", spec.inputPath(), "--output", spec.outputPath())) {
      return runOwning();
    }
  }

  private HarvestReport runOwning() {
    long t0 = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem fs = HadoopFiles.fileSystem(new Path(spec.outputPath()), conf);
    Path out = fs.makeQualified(new Path(spec.outputPath()));
    ReplaceableOutput.check(fs, out, MARKER, "harvest",
        name -> name.equals(MARKER) || ReplaceableOutput.isSparkDatasetEntry(name));
    // Fail fast on the driver (a bad --model or --layer) before any task starts; in local mode
    // the tasks then use this same model.
    OnnxActivationModel probe = HarvestModels.get(spec.model(), spec.site(), conf);
    int width = probe.width();
    String site = probe.site();
    Dataset<Row> input = TextInput.read(spark, spec.inputPath(), spec.textColumn());
    StructType metadata = new StructType(Arrays.stream(input.schema().fields()).skip(1)
        .toArray(StructField[]::new));
    StructType schema = HarvestSchema.of(metadata, spec.inputPath());

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaPairRDD<Long, HarvestDoc> numbered = input.javaRDD().zipWithIndex().mapToPair(t -> {
      Row r = t._1();
      Object[] meta = new Object[r.length() - 1];
      for (int i = 1; i < r.length(); i++) {
        meta[i - 1] = r.get(i);
      }
      return new Tuple2<>(t._2(), new HarvestDoc(r.isNullAt(0) ? null : r.getString(0), meta));
    });
    long documents = numbered.count();
    if (documents == 0) {
      throw Errors.invalidInput("the input has no texts", spec.inputPath(),
          "pass text files with a text per line, or Parquet with --text-column");
    }
    int partitions = (int) Math.max(input.javaRDD().getNumPartitions(), Math.min(
        2L * jsc.defaultParallelism(), (documents + MIN_DOCS_PER_TASK - 1) / MIN_DOCS_PER_TASK));
    JavaPairRDD<Long, HarvestDoc> ranged =
        numbered.repartitionAndSortWithinPartitions(new DocRanges(partitions, documents));

    Broadcast<SerializableWritable<Configuration>> confB = jsc.broadcast(new SerializableWritable<>(conf));
    long[] budgets = spec.maxTokens() == 0 ? null : budgets(ranged, confB);
    LongAccumulator tokens = jsc.sc().longAccumulator("gsae harvest: tokens");
    LongAccumulator harvested = jsc.sc().longAccumulator("gsae harvest: texts with tokens");
    LongAccumulator truncated = jsc.sc().longAccumulator("gsae harvest: texts truncated");
    JavaRDD<Row> rows = ranged.mapPartitionsWithIndex(new HarvestTask(spec.model(), spec.site(),
        confB, textColumnName(), spec.context(), budgets, tokens, harvested, truncated), true);
    Dataset<Row> store = spark.createDataFrame(rows, schema);
    long h0 = System.nanoTime();
    Thread progress = progress(tokens, h0);
    try {
      AtomicDirectoryWriter.write(out, true, conf, (wfs, tmp) -> {
        jsc.setJobDescription("gsae harvest: " + spec.inputPath() + " -> " + out);
        try {
          TaskFailures.rethrowing(() -> {
            store.write().mode(SaveMode.Overwrite).parquet(tmp.toString());
            return null;
          });
        } finally {
          jsc.setJobDescription(null);
        }
        if (tokens.value() == 0) {
          throw Errors.invalidInput("the " + documents + " texts have no tokens", spec.inputPath(),
              "pass non-empty texts");
        }
        HadoopFiles.writeBytes(wfs, new Path(tmp, MARKER), marker(site, width, documents,
            tokens.value(), partitions));
      });
    } finally {
      progress.interrupt();
      confB.destroy();
    }
    double harvestSeconds = (System.nanoTime() - h0) / 1e9;
    long bytes = parquetBytes(fs, out);
    double wall = (System.nanoTime() - t0) / 1e9;
    LOG.info("harvested {} tokens of {} texts into {} in {} s ({} tok/s)", tokens.value(),
        documents, out, String.format("%.1f", harvestSeconds),
        String.format("%.0f", tokens.value() / harvestSeconds));
    return new HarvestReport(site, width, documents, harvested.value(), tokens.value(),
        truncated.value(), partitions, bytes, harvestSeconds, out.toString(), wall);
  }

  private String textColumnName() {
    return spec.textColumn() == null ? "value" : spec.textColumn();
  }

  /** Per range, how many of the first {@code max-tokens} tokens (in doc order) it holds. */
  private long[] budgets(JavaPairRDD<Long, HarvestDoc> ranged,
      Broadcast<SerializableWritable<Configuration>> confB) {
    String model = spec.model();
    org.gsae.onnx.Site site = spec.site();
    List<Long> counts = ranged.mapPartitions(docs -> {
      OnnxActivationModel m = HarvestModels.get(model, site, confB.value().value());
      long n = 0;
      while (docs.hasNext()) {
        String text = docs.next()._2().text();
        n += text == null ? 0 : m.tokenCount(text);
      }
      return List.of(n).iterator();
    }).collect();
    long[] budgets = new long[counts.size()];
    long left = spec.maxTokens();
    for (int p = 0; p < budgets.length; p++) {
      budgets[p] = Math.min(left, counts.get(p));
      left -= budgets[p];
    }
    return budgets;
  }

  /** Logs tokens written and tokens/s every 10 s while the harvest runs. */
  private static Thread progress(LongAccumulator tokens, long t0) {
    AtomicLong last = new AtomicLong(-1);
    Thread t = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(PROGRESS_MS);
          long n = tokens.value();
          if (n != last.getAndSet(n)) {
            LOG.info("harvest: {} tokens written ({} tok/s)", n,
                String.format("%.0f", n / ((System.nanoTime() - t0) / 1e9)));
          }
        }
      } catch (InterruptedException done) {
        // the harvest ended
      }
    }, "gsae-harvest-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static long parquetBytes(FileSystem fs, Path dir) {
    try {
      long n = 0;
      for (FileStatus s : fs.listStatus(dir)) {
        n += s.getPath().getName().endsWith(".parquet") ? s.getLen() : 0;
      }
      return n;
    } catch (IOException e) {
      throw Errors.io("listing the harvested store", dir.toString(), e);
    }
  }

  private byte[] marker(String site, int width, long documents, long tokens, int partitions) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "harvest");
    m.put("model", spec.model());
    m.put("site", site);
    m.put("layer", spec.site().layer());
    m.put("site_kind", spec.site().kind());
    m.put("width", width);
    m.put("input", spec.inputPath());
    m.put("text_column", spec.textColumn());
    m.put("max_tokens", spec.maxTokens());
    m.put("context", spec.context());
    m.put("documents", documents);
    m.put("tokens", tokens);
    m.put("partitions", partitions);
    m.put("gsae_version", Provenance.currentGsaeVersion());
    m.put("created_at", Instant.now().toString());
    return Json.write(m);
  }

  /** Contiguous doc-index ranges: index i goes to partition floor(i * P / n). */
  static final class DocRanges extends Partitioner {
    private final int partitions;
    private final long documents;

    DocRanges(int partitions, long documents) {
      this.partitions = partitions;
      this.documents = documents;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.min(partitions - 1, (Long) key * partitions / documents);
    }
  }
}
