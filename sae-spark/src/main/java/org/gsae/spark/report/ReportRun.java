package org.gsae.spark.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.error.Errors;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.metrics.ActivationHistograms;
import org.gsae.core.metrics.BandSamples;
import org.gsae.spark.analysis.AnalysisRun;
import org.gsae.spark.output.OutputLock;
import org.gsae.spark.output.Overlap;
import org.gsae.spark.output.ReplaceableOutput;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.train.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code report} (docs/architecture.md §10): reads a run's {@code metrics.parquet} and the
 * analysis tables, and writes, atomically into {@code outputPath} (an earlier report there is
 * replaced; anything else is refused):
 * <ul>
 *   <li>{@code index.html}: training curves, feature-density and L0 histograms, reconstruction
 *       numbers, decoder norm against kurtosis, provenance;</li>
 *   <li>{@code features.html}: the sortable, filterable feature list;</li>
 *   <li>{@code feature.html#J}: feature J's statistics, activation histogram, top examples
 *       (activating token highlighted in its context) and samples from each activation band;</li>
 *   <li>{@code gallery.html} for image data: decoder rows and top-activating inputs as images,
 *       tagged MONO/POLY by label purity;</li>
 *   <li>{@code assets/} (ECharts, the pages' script and style) and {@code data/} (the numbers as
 *       script files, the feature pages' in chunks of {@value ReportData#CHUNK} features).</li>
 * </ul>
 * The driver holds the examples of 2,048 features at a time; the feature table and the curves
 * are O(d_sae) and O(points).
 */
public final class ReportRun {
  private static final Logger LOG = LoggerFactory.getLogger(ReportRun.class);

  /** The page a report is recognised by. */
  public static final String INDEX = "index.html";
  /** Top-level entries a report writes. */
  static final List<String> OWN = List.of(INDEX, "features.html", "feature.html", "gallery.html",
      "assets", "data");
  /** Where the report's static files live on the classpath. */
  private static final String RESOURCES = "/org/gsae/spark/report/";
  private static final String ECHARTS = "/META-INF/resources/webjars/echarts/"
      + echartsVersion() + "/";
  private static final List<String> TOP_ORDER = List.of("feature_id", "rank");
  private static final List<String> TOP_COLUMNS = List.of("feature_id", "rank", "activation",
      "row_id");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final ReportSpec spec;

  public ReportRun(SparkSession spark, ReportSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  /** Writes the report; user-facing failures are {@link org.gsae.core.error.GsaeException}s. */
  public ReportSummary run() {
    long t0 = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path out = qualified(spec.outputPath(), conf);
    FileSystem fs = HadoopFiles.fileSystem(out, conf);
    Path run = spec.runPath() == null ? null : qualified(spec.runPath(), conf);
    if (run != null) {
      requireDir(run, conf, "--run",
          "a training output directory (it holds model/ and metrics.parquet)");
    }
    Path analysis = analysisDir(run, conf);
    if (analysis != null) {
      requireFile(new Path(analysis, AnalysisRun.SUMMARY), conf, "--analysis",
          "an analyze output directory (it holds summary.json and features.parquet)");
    }
    if (run != null) {
      Overlap.refuseHolding(conf, "--output", out.toString(), "--run", run.toString());
    }
    if (analysis != null) {
      Overlap.refuseHolding(conf, "--output", out.toString(), "--analysis", analysis.toString());
    }
    Map<String, Object> summary = analysis == null ? null
        : readJson(new Path(analysis, AnalysisRun.SUMMARY), conf);
    ExampleReader top = analysis == null ? null : ExampleReader.open(spark,
        new Path(analysis, AnalysisRun.TOP_EXAMPLES), TOP_ORDER, TOP_COLUMNS);
    ImageTiles.Shape shape = gallery(top, summary);
    try (OutputLock lock = OutputLock.claim(conf, "--output", out.toString())) {
      ReplaceableOutput.check(fs, out, INDEX, "report", OWN::contains);
      Contents c = new Contents(conf, run, analysis, summary, top, shape);
      AtomicDirectoryWriter.write(out, true, conf, (dstFs, tmp) -> c.writeInto(dstFs, tmp));
      double wall = (System.nanoTime() - t0) / 1e9;
      LOG.info("report written to {} in {} s", out, String.format("%.1f", wall));
      return new ReportSummary(out.toString(), c.features, c.chunks, c.gallery, wall);
    }
  }

  /** The galleries' image shape (null: none), with the options checked before any work. */
  private ImageTiles.Shape gallery(ExampleReader top, Map<String, Object> summary) {
    if (summary == null) {
      if (spec.imageShape() != null || spec.labelColumn() != null) {
        throw Errors.usage("--image-shape and --label-column draw galleries from an analysis, "
            + "and this report has none", String.valueOf(spec.runPath()),
            "pass --analysis DIR, or --run with a run that has analysis/");
      }
      return null;
    }
    return Gallery.shape(spec.imageShape(), ((Number) summary.get("d_in")).intValue(),
        spec.labelColumn(), top.meta);
  }

  private Path analysisDir(Path run, Configuration conf) {
    if (spec.analysisPath() != null) {
      return qualified(spec.analysisPath(), conf);
    }
    Path inRun = new Path(run, "analysis");
    return exists(new Path(inRun, AnalysisRun.SUMMARY), conf) ? inRun : null;
  }

  private static boolean exists(Path p, Configuration conf) {
    return HadoopFiles.exists(HadoopFiles.fileSystem(p, conf), p);
  }

  /** Everything one report writes, gathered while writing. */
  private final class Contents {
    private final Configuration conf;
    private final Path run;
    private final Path analysis;
    private final Map<String, Object> summary;
    private final ExampleReader top;
    private final ImageTiles.Shape shape;
    int features;
    int chunks;
    boolean gallery;

    Contents(Configuration conf, Path run, Path analysis, Map<String, Object> summary,
        ExampleReader top, ImageTiles.Shape shape) {
      this.conf = conf;
      this.run = run;
      this.analysis = analysis;
      this.summary = summary;
      this.top = top;
      this.shape = shape;
    }

    void writeInto(FileSystem fs, Path dir) throws IOException {
      Path data = new Path(dir, "data");
      Path assets = new Path(dir, "assets");
      for (String page : List.of(INDEX, "features.html", "feature.html", "gallery.html")) {
        copyResource(fs, RESOURCES + page, new Path(dir, page));
      }
      copyResource(fs, RESOURCES + "report.js", new Path(assets, "report.js"));
      copyResource(fs, RESOURCES + "report.css", new Path(assets, "report.css"));
      copyResource(fs, ECHARTS + "dist/echarts.min.js", new Path(assets, "echarts.min.js"));
      copyResource(fs, ECHARTS + "LICENSE", new Path(assets, "ECHARTS-LICENSE"));

      Map<String, Object> runData = new LinkedHashMap<>();
      runData.put("run", run == null ? null : run.toString());
      runData.put("analysis", analysis == null ? null : analysis.toString());
      runData.put("summary", summary);
      runData.put("curves", run == null ? null : curves(new Path(run, TrainingRun.METRICS)));
      Path modelDir = modelDir(summary);
      runData.put("cfg", modelDir == null ? null
          : readJson(new Path(modelDir, "cfg.json"), conf));

      FeatureColumns f = analysis == null ? null : FeatureColumns.read(spark,
          new Path(analysis, AnalysisRun.FEATURES));
      Map<String, Object> featureData = new LinkedHashMap<>();
      if (f != null) {
        features = f.dSae();
        chunks = ReportData.chunks(features);
        LOG.info("writing the pages of {} features in {} chunks", features, chunks);
        runData.put("density", ReportData.densityHistogram(f.frequency));
        runData.put("scatter", Map.of("norm", f.decoderNorm, "kurtosis", f.decoderKurtosis));
        featureData = f.asColumns();
        List<String> meta = writeChunks(fs, data, f);
        runData.put("metaColumns", meta);
        if (shape != null) {
          writeData(fs, new Path(data, "gallery.js"), "gallery", Gallery.build(spark, conf,
              analysis, f, summary, modelDir, shape, spec.labelColumn(), meta));
          gallery = true;
        }
      }
      runData.put("dSae", features);
      runData.put("chunk", ReportData.CHUNK);
      runData.put("gallery", gallery);
      runData.put("histogramEdges", ActivationHistograms.binEdges());
      runData.put("binsPerBand", BandSamples.BINS_PER_BAND);
      writeData(fs, new Path(data, "run.js"), "run", runData);
      writeData(fs, new Path(data, "features.js"), "features", featureData);
    }

    private Path modelDir(Map<String, Object> summary) {
      if (summary != null && summary.get("model") instanceof Map<?, ?> m
          && m.get("path") instanceof String p) {
        return new Path(p);
      }
      return run == null ? null : new Path(run, TrainingRun.MODEL);
    }

    private Map<String, Object> curves(Path metrics) {
      if (!exists(metrics, conf)) {
        return null;
      }
      List<Row> rows = ActivationStore.readTable(spark, metrics.toString()).orderBy("step").collectAsList();
      int[] keep = ReportData.thinned(rows.size(), ReportData.MAX_CURVE_POINTS);
      Map<String, Object> c = new LinkedHashMap<>();
      for (String name : List.of("step", "loss", "mse", "l1", "aux", "l0", "lr", "lambda",
          "grad_norm")) {
        double[] v = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
          Row r = rows.get(keep[i]);
          v[i] = ((Number) r.getAs(name)).doubleValue();
        }
        c.put(name, v);
      }
      c.put("steps", rows.size());
      return c;
    }

    /** Writes {@code data/chunk-N.js} files; returns the metadata columns of the examples. */
    private List<String> writeChunks(FileSystem fs, Path data, FeatureColumns f)
        throws IOException {
      ExampleReader bands = ExampleReader.open(spark, new Path(analysis,
          AnalysisRun.BAND_EXAMPLES), List.of("feature_id", "band", "rank"),
          List.of("feature_id", "band", "band_low", "band_high", "rank", "activation", "row_id"));
      for (int chunk = 0; chunk < chunks; chunk++) {
        int first = chunk * ReportData.CHUNK;
        int end = Math.min(f.dSae(), first + ReportData.CHUNK);
        Map<String, Object> byFeature = new LinkedHashMap<>();
        for (int j = first; j < end; j++) {
          Map<String, Object> feature = f.row(j);
          feature.put("top", top.take(j, r -> ExampleReader.example(r, top.meta)));
          List<Map<String, Object>> sampled = bands.take(j, r -> {
            Map<String, Object> e = ExampleReader.example(r, bands.meta);
            e.put("band", r.getInt(r.fieldIndex("band")));
            return e;
          });
          feature.put("bands", sampled);
          byFeature.put(Integer.toString(j), feature);
        }
        writeData(fs, new Path(data, chunkName(chunk) + ".js"), chunkName(chunk), byFeature);
      }
      return top.meta.isEmpty() ? bands.meta : top.meta;
    }

  }

  /** A JSON object file gsae wrote, or null when it does not exist. */
  private static Map<String, Object> readJson(Path file, Configuration conf) {
    if (!exists(file, conf)) {
      return null;
    }
    byte[] bytes = HadoopFiles.readAll(HadoopFiles.fileSystem(file, conf), file, 64L << 20,
        "a report input");
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(bytes, Map.class);
      return m;
    } catch (IOException e) {
      throw Errors.invalidInput("not valid JSON: " + e.getMessage(), file.toString(),
          "re-run the command that wrote it", e);
    }
  }

  /** The name of chunk {@code c} without extension: {@code chunk-0003}. */
  static String chunkName(int c) {
    return String.format("chunk-%04d", c);
  }

  /** Writes {@code gsae.put(name, value);} as a script the pages load. */
  static void writeData(FileSystem fs, Path file, String name, Object value) {
    try {
      String js = "gsae.put(" + JSON.writeValueAsString(name) + ", "
          + JSON.writeValueAsString(value) + ");\n";
      HadoopFiles.writeBytes(fs, file, js.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report data not serialisable: " + name, e);
    }
  }

  private static void copyResource(FileSystem fs, String resource, Path to) throws IOException {
    try (InputStream in = ReportRun.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: " + resource);
      }
      HadoopFiles.writeBytes(fs, to, in.readAllBytes());
    }
  }

  private static String echartsVersion() {
    try (InputStream in = ReportRun.class.getResourceAsStream(
        "/META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "5.3.1");
    } catch (IOException e) {
      return "5.3.1";
    }
  }


  private static Path qualified(String p, Configuration conf) {
    try {
      Path path = new Path(p);
      return HadoopFiles.fileSystem(path, conf).makeQualified(path);
    } catch (IllegalArgumentException e) {
      throw Errors.usage("not a usable path: " + e.getMessage(), p,
          "pass a file system path or URI");
    }
  }

  private static void requireDir(Path p, Configuration conf, String option, String what) {
    try {
      if (!HadoopFiles.fileSystem(p, conf).getFileStatus(p).isDirectory()) {
        throw Errors.usage(option + " is not a directory", p.toString(), "pass " + what);
      }
    } catch (java.io.FileNotFoundException e) {
      throw Errors.usage(option + " does not exist", p.toString(), "pass " + what);
    } catch (IOException e) {
      throw Errors.io("reading " + option, p.toString(), e);
    }
  }

  private static void requireFile(Path p, Configuration conf, String option, String what) {
    if (!exists(p, conf)) {
      throw Errors.usage(option + " has no " + p.getName(), p.getParent().toString(),
          "pass " + what);
    }
  }
}
