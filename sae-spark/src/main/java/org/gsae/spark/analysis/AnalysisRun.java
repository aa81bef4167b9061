package org.gsae.spark.analysis;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.analysis.DecoderSharpness;
import org.gsae.core.error.Errors;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.io.LoadedModel;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.SparsityFile;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.metrics.BandSamples;
import org.gsae.core.metrics.TopKExamples;
import org.gsae.core.model.AlignedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.spark.output.OutputColumns;
import org.gsae.spark.output.OutputLock;
import org.gsae.spark.output.ReplaceableOutput;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.PackOptions;
import org.gsae.spark.store.RowBlock;
import org.gsae.spark.store.TaskFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code analyze} job (docs/architecture.md §5, §7): load the model, open the store with the
 * model's {@code d_in} as the required width, pack it into blocks of {@code batchSize} rows, run
 * the {@link DistributedAnalyzer} pass, and write into {@code outputPath}, atomically (a failed run
 * leaves no output and never damages an earlier one):
 * {@value #FEATURES} ({@link FeatureTable}), {@value #TOP_EXAMPLES} ({@link TopExamplesTable}),
 * {@value #BAND_EXAMPLES} ({@link BandExamplesTable}),
 * {@code summary.json} ({@link SummaryJson}) and {@code sparsity.safetensors}
 * ({@link SparsityFile}).
 *
 * <p>An existing output directory is replaced when it is an earlier analysis (it has
 * {@code summary.json}) or empty. When {@code outputPath} is the model directory, its other
 * files (the model itself) are copied into the new directory before it replaces the old one,
 * so the model directory ends up carrying {@code sparsity.safetensors} as SAELens expects.
 */
public final class AnalysisRun {
  private static final Logger LOG = LoggerFactory.getLogger(AnalysisRun.class);

  /** Per-feature table. */
  public static final String FEATURES = "features.parquet";
  /** Per-feature top-activating rows with their metadata. */
  public static final String TOP_EXAMPLES = "top_examples.parquet";
  /** Per-feature samples from each activation band with their metadata. */
  public static final String BAND_EXAMPLES = "band_examples.parquet";
  /** Whole-store numbers and provenance. */
  public static final String SUMMARY = SummaryJson.FILE;
  /** The report the {@code analyze} command writes beside the tables. */
  public static final String REPORT = "report";
  /** Everything an analysis writes (a re-run replaces all of it). */
  public static final List<String> OUTPUTS = List.of(FEATURES, TOP_EXAMPLES,
      BAND_EXAMPLES, SUMMARY, SparsityFile.FILE, REPORT);
  /** The columns {@value #TOP_EXAMPLES} puts before the store's metadata columns. */
  static final List<String> ADDED_COLUMNS = List.of("feature_id", "rank", "activation",
      ActivationStore.ROW_ID);

  private final SparkSession spark;
  private final AnalysisSpec spec;

  /**
   * @param spark the session to run on (not stopped by the run)
   * @param spec  what to read and write
   */
  public AnalysisRun(SparkSession spark, AnalysisSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  /** Runs the job; user-facing failures are {@link org.gsae.core.error.GsaeException}s. */
  public AnalysisReport run() {
    try (OutputLock lock = OutputLock.claim(spark.sparkContext().hadoopConfiguration(),
        "--input", spec.input().path(), "--output", spec.outputPath())) {
      return runOwning();
    }
  }

  private AnalysisReport runOwning() {
    long t0 = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    LoadedModel model = ModelDirectory.load(new Path(spec.modelPath()), conf);
    SaeParameters p = model.params();
    int batch = AlignedEncoder.batchSize(spec.batchSize(), p.dSae());
    Path modelDir = qualified(new Path(spec.modelPath()), conf);
    FileSystem fs = HadoopFiles.fileSystem(new Path(spec.outputPath()), conf);
    Path out = fs.makeQualified(new Path(spec.outputPath()));
    boolean intoModel = out.equals(modelDir);
    if (!intoModel) {
      ReplaceableOutput.check(fs, out, SUMMARY, "analyze", OUTPUTS::contains);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    try (ActivationStore store = ActivationStore.open(spark, spec.input(), OptionalInt.of(p.dIn()))) {
      checkStore(store);
      // One pass, streamed from the files: caching a store read once would only copy it.
      JavaRDD<RowBlock> blocks = store.stream(new PackOptions(spec.partitions(), batch));
      int partitions = blocks.getNumPartitions();
      LOG.info("analysing {} rows (d_in {}) of {} in {} partitions with a d_sae={} model from {}",
          store.totalRows(), p.dIn(), spec.input().path(), partitions, p.dSae(),
          spec.modelPath());
      long tPass = System.nanoTime();
      AnalysisMetrics metrics = DistributedAnalyzer.analyze(jsc, blocks, p, spec.topK(),
          AlignedEncoder.blockRows(batch, store.totalRows()));
      long analysed = metrics.featureStats().rows();
      LOG.info("analysis pass over {} rows took {} s", analysed,
          String.format("%.1f", (System.nanoTime() - tPass) / 1e9));
      if (analysed == 0) {
        throw store.noValidRow();
      }
      long skipped = store.totalRows() - analysed;
      float[] wDec = p.wDec().toFloatArray();
      FeatureTable features = FeatureTable.of(metrics.featureStats(), metrics.histograms(),
          wDec, p.dIn());
      double kurtosisMean = DecoderSharpness.of(wDec, p.dSae(), p.dIn()).mean();
      Map<String, Object> summary = SummaryJson.build(metrics, p.dIn(), new SummaryJson.Context(
          spec.modelPath(), model.info(), spec.input().path(), spec.input().column(),
          spec.input().onInvalid().name().toLowerCase(Locale.ROOT),
          store.files().files(), store.totalRows(), skipped,
          store.files().fingerprint(p.dIn()), partitions, spec.topK(),
          batch, kurtosisMean));
      long rankedRows = TopExamplesTable.rankedRows(metrics.topKExamples());
      write(jsc, store, out, intoModel, conf, metrics, features, summary, rankedRows);
      double wall = (System.nanoTime() - t0) / 1e9;
      LOG.info("analysis written to {} in {} s", out, String.format("%.1f", wall));
      return new AnalysisReport(analysed, skipped, p.dIn(), p.dSae(),
          partitions, metrics.l0Histogram().mean(), metrics.l0Histogram().median(),
          metrics.featureStats().deadCount(), metrics.reconstruction().mse(),
          metrics.reconstruction().fvu(), metrics.reconstruction().relativeReconstructionBias(),
          rankedRows, out.toString(), wall,
          metrics.featureStats().frequencies(), intoModel);
    }
  }

  /**
   * What a store must pass for this analysis to write its outputs: no metadata column named
   * like a column the analysis adds. The train job runs it before training when an analysis
   * will follow.
   */
  public static void checkStore(ActivationStore store) {
    OutputColumns.requireNoClash(store, ADDED_COLUMNS, TOP_EXAMPLES);
  }

  private void write(JavaSparkContext jsc, ActivationStore store, Path out, boolean intoModel,
      Configuration conf, AnalysisMetrics metrics, FeatureTable features,
      Map<String, Object> summary, long rankedRows) {
    Broadcast<FeatureTable> featuresBc = jsc.broadcast(features);
    Broadcast<TopKExamples> topBc = jsc.broadcast(metrics.topKExamples());
    Broadcast<BandSamples> bandBc = jsc.broadcast(metrics.bandSamples());
    try {
      AtomicDirectoryWriter.write(out, true, conf, (fs, tmp) -> {
        if (intoModel) {
          carryOver(fs, out, tmp, conf);
        }
        sparkWrite(jsc, "write " + FEATURES, () -> FeatureTable.toDataFrame(spark, featuresBc)
            .write().parquet(new Path(tmp, FEATURES).toString()));
        sparkWrite(jsc, "write " + TOP_EXAMPLES, () -> TopExamplesTable.withMetadata(
            TopExamplesTable.ranked(spark, topBc), rankedRows, store)
            .write().parquet(new Path(tmp, TOP_EXAMPLES).toString()));
        sparkWrite(jsc, "write " + BAND_EXAMPLES, () -> BandExamplesTable.withMetadata(
            BandExamplesTable.sampled(spark, bandBc), metrics.bandSamples().count(), store)
            .write().parquet(new Path(tmp, BAND_EXAMPLES).toString()));
        SparsityFile.writeInto(fs, tmp, metrics.featureStats().frequencies());
        HadoopFiles.writeBytes(fs, new Path(tmp, SUMMARY), SummaryJson.encode(summary));
      });
    } finally {
      featuresBc.destroy();
      topBc.destroy();
      bandBc.destroy();
    }
  }

  /** Runs a Spark write with a job description, surfacing our errors from failed tasks. */
  private static void sparkWrite(JavaSparkContext jsc, String what, Runnable write) {
    jsc.setJobDescription("gsae analyze: " + what);
    try {
      TaskFailures.rethrowing((Supplier<Void>) () -> {
        write.run();
        return null;
      });
    } finally {
      jsc.setJobDescription(null);
    }
  }

  /** Copies every entry of the model directory that the analysis does not write into {@code tmp}. */
  private static void carryOver(FileSystem fs, Path modelDir, Path tmp, Configuration conf)
      throws IOException {
    for (FileStatus s : fs.listStatus(modelDir)) {
      String name = s.getPath().getName();
      if (OUTPUTS.contains(name) || AtomicDirectoryWriter.isTemporary(name)) {
        continue;
      }
      if (!FileUtil.copy(fs, s.getPath(), fs, new Path(tmp, name), false, conf)) {
        throw new IOException("copying " + s.getPath() + " into the new directory returned false");
      }
    }
  }

  private static Path qualified(Path p, Configuration conf) {
    try {
      return HadoopFiles.fileSystem(p, conf).makeQualified(p);
    } catch (IllegalArgumentException e) {
      throw Errors.usage("not a usable path: " + e.getMessage(), p.toString(),
          "pass a file system path or URI");
    }
  }
}
