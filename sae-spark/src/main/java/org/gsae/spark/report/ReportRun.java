package org.gsae.spark.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.gsae.core.error.Errors;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.metrics.ActivationHistograms;
import org.gsae.core.metrics.BandSamples;
import org.gsae.spark.output.OutputLock;
import org.gsae.spark.output.ReplaceableOutput;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.ActivationType;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
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
  /** Decoder rows drawn in the decoder gallery (the first features by id). */
  static final int DECODER_GALLERY = 256;
  /** Features in the feature gallery (the most frequent alive ones). */
  static final int FEATURE_GALLERY = 32;
  /** Top inputs shown per feature in the feature gallery. */
  static final int GALLERY_INPUTS = 8;

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
      requireDir(run, conf, "--run", "a training output directory (it holds model/ and metrics.parquet)");
    }
    Path analysis = analysisDir(run, conf);
    if (analysis != null) {
      requireFile(new Path(analysis, "summary.json"), conf, "--analysis",
          "an analyze output directory (it holds summary.json and features.parquet)");
    }
    refuseHolding(out, run, "--run");
    refuseHolding(out, analysis, "--analysis");
    try (OutputLock lock = OutputLock.claim(conf, "--output", out.toString())) {
      ReplaceableOutput.check(fs, out, INDEX, "report", OWN::contains);
      Contents c = new Contents(conf, run, analysis);
      AtomicDirectoryWriter.write(out, true, conf, (dstFs, tmp) -> c.writeInto(dstFs, tmp));
      double wall = (System.nanoTime() - t0) / 1e9;
      LOG.info("report written to {} in {} s", out, String.format("%.1f", wall));
      return new ReportSummary(out.toString(), c.features, c.chunks, c.gallery, wall);
    }
  }

  /**
   * The report may live inside the run or the analysis it describes, but replacing it must
   * never delete them: refuses an output that is or holds {@code input}.
   */
  private static void refuseHolding(Path out, Path input, String key) {
    if (input == null) {
      return;
    }
    String o = out.toUri().normalize().toString().replaceAll("/+$", "");
    String i = input.toUri().normalize().toString().replaceAll("/+$", "");
    if (i.equals(o) || i.startsWith(o + "/")) {
      throw Errors.usage("--output = '" + out + "' holds " + key + " = '" + input
          + "': writing the report would replace it", out.toString(),
          "choose an --output that is not " + key + " nor a directory above it (for example "
              + key.substring(2) + "/report)");
    }
  }

  private Path analysisDir(Path run, Configuration conf) {
    if (spec.analysisPath() != null) {
      return qualified(spec.analysisPath(), conf);
    }
    Path inRun = new Path(run, "analysis");
    return exists(new Path(inRun, "summary.json"), conf) ? inRun : null;
  }

  private static boolean exists(Path p, Configuration conf) {
    return HadoopFiles.exists(HadoopFiles.fileSystem(p, conf), p);
  }

  /** Everything one report writes, gathered while writing. */
  private final class Contents {
    private final Configuration conf;
    private final Path run;
    private final Path analysis;
    int features;
    int chunks;
    boolean gallery;

    Contents(Configuration conf, Path run, Path analysis) {
      this.conf = conf;
      this.run = run;
      this.analysis = analysis;
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

      Map<String, Object> summary = analysis == null ? null
          : readJson(new Path(analysis, "summary.json"));
      Map<String, Object> runData = new LinkedHashMap<>();
      runData.put("run", run == null ? null : run.toString());
      runData.put("analysis", analysis == null ? null : analysis.toString());
      runData.put("summary", summary);
      runData.put("curves", run == null ? null : curves(new Path(run, "metrics.parquet")));
      Path modelDir = modelDir(summary);
      runData.put("cfg", modelDir == null ? null : readJson(new Path(modelDir, "cfg.json")));

      FeatureColumns f = analysis == null ? null : FeatureColumns.read(spark,
          new Path(analysis, "features.parquet"));
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
        gallery = writeGallery(fs, data, f, summary, modelDir, meta);
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
      return run == null ? null : new Path(run, "model");
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
      ExampleStream top = ExampleStream.open(spark, new Path(analysis, "top_examples.parquet"),
          List.of("feature_id", "rank"), List.of("feature_id", "rank", "activation", "row_id"));
      ExampleStream bands = ExampleStream.open(spark, new Path(analysis,
          "band_examples.parquet"), List.of("feature_id", "band", "rank"),
          List.of("feature_id", "band", "band_low", "band_high", "rank", "activation", "row_id"));
      for (int chunk = 0; chunk < chunks; chunk++) {
        int first = chunk * ReportData.CHUNK;
        int end = Math.min(f.dSae(), first + ReportData.CHUNK);
        Map<String, Object> byFeature = new LinkedHashMap<>();
        for (int j = first; j < end; j++) {
          Map<String, Object> feature = f.row(j);
          feature.put("top", top.take(j, r -> example(r, top.meta)));
          List<Map<String, Object>> sampled = bands.take(j, r -> {
            Map<String, Object> e = example(r, bands.meta);
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

    private Map<String, Object> example(Row r, List<String> meta) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("activation", r.getFloat(r.fieldIndex("activation")));
      e.put("row_id", r.getLong(r.fieldIndex("row_id")));
      Map<String, Object> m = new LinkedHashMap<>();
      for (String name : meta) {
        m.put(name, jsonValue(r.get(r.fieldIndex(name))));
      }
      e.put("meta", m);
      return e;
    }

    private boolean writeGallery(FileSystem fs, Path data, FeatureColumns f,
        Map<String, Object> summary, Path modelDir, List<String> meta) throws IOException {
      int dIn = ((Number) summary.get("d_in")).intValue();
      ImageTiles.Shape shape = spec.imageShape() != null ? spec.imageShape()
          : ImageTiles.Shape.known(dIn);
      if (shape == null) {
        return false;
      }
      if (shape.pixels() != dIn) {
        throw Errors.usage("--image-shape " + shape + " has " + shape.pixels()
            + " pixels but the model's d_in is " + dIn, "--image-shape",
            "give a shape whose height x width is " + dIn);
      }
      if (spec.labelColumn() != null && !meta.contains(spec.labelColumn())) {
        throw Errors.usage("--label-column '" + spec.labelColumn() + "' is not a metadata column "
            + "of the analysed store (it has: " + String.join(", ", meta) + ")",
            "--label-column", "name one of the store's metadata columns");
      }
      float[] wDec = ModelDirectory.load(modelDir, conf).params().wDec().toFloatArray();
      List<Map<String, Object>> decoder = new ArrayList<>();
      for (int j = 0; j < Math.min(DECODER_GALLERY, f.dSae()); j++) {
        Map<String, Object> tile = new LinkedHashMap<>();
        tile.put("id", j);
        tile.put("dead", f.fireCount[j] == 0);
        tile.put("image", ImageTiles.decoderTile(wDec, j * dIn, shape));
        decoder.add(tile);
      }
      List<Integer> chosen = GalleryChoice.mostFrequentAlive(f.fireCount, FEATURE_GALLERY);
      Map<Integer, List<Map<String, Object>>> tops = topExamples(chosen, meta);
      Map<Long, float[]> inputs = inputRows(summary, dIn, tops);
      List<Map<String, Object>> featureTiles = new ArrayList<>();
      for (int j : chosen) {
        Map<String, Object> tile = new LinkedHashMap<>();
        tile.put("id", j);
        tile.put("frequency", f.frequency[j]);
        tile.put("image", ImageTiles.decoderTile(wDec, j * dIn, shape));
        List<Object> labels = new ArrayList<>();
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Map<String, Object> e : tops.getOrDefault(j, List.of())) {
          float[] x = inputs.get((Long) e.get("row_id"));
          Map<String, Object> in = new LinkedHashMap<>();
          in.put("activation", e.get("activation"));
          in.put("image", x == null ? null : ImageTiles.inputTile(x, shape));
          if (spec.labelColumn() != null) {
            Object label = ((Map<?, ?>) e.get("meta")).get(spec.labelColumn());
            in.put("label", label);
            labels.add(label);
          }
          shown.add(in);
        }
        tile.put("inputs", shown);
        if (spec.labelColumn() != null) {
          GalleryChoice.Purity p = GalleryChoice.purity(labels);
          tile.put("label", p.label());
          tile.put("purity", p.purity());
          tile.put("tag", p.tag());
        }
        featureTiles.add(tile);
      }
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("shape", List.of(shape.height(), shape.width()));
      g.put("labelColumn", spec.labelColumn());
      g.put("monoPurity", GalleryChoice.MONO_PURITY);
      g.put("decoder", decoder);
      g.put("features", featureTiles);
      g.put("inputsFound", !inputs.isEmpty());
      writeData(fs, new Path(data, "gallery.js"), "gallery", g);
      return true;
    }

    private Map<Integer, List<Map<String, Object>>> topExamples(List<Integer> chosen,
        List<String> meta) {
      Map<Integer, List<Map<String, Object>>> tops = new HashMap<>();
      if (chosen.isEmpty()) {
        return tops;
      }
      List<Row> rows = ActivationStore.readTable(spark,
          new Path(analysis, "top_examples.parquet").toString())
          .where(functions.col("feature_id").isin(chosen.toArray())
              .and(functions.col("rank").leq(GALLERY_INPUTS)))
          .orderBy("feature_id", "rank").collectAsList();
      for (Row r : rows) {
        tops.computeIfAbsent(r.getInt(r.fieldIndex("feature_id")), k -> new ArrayList<>())
            .add(example(r, meta));
      }
      return tops;
    }

    /** The activation rows of the gallery's examples, read back from the analysed store. */
    private Map<Long, float[]> inputRows(Map<String, Object> summary, int dIn,
        Map<Integer, List<Map<String, Object>>> tops) {
      List<Long> ids = new ArrayList<>();
      tops.values().forEach(l -> l.forEach(e -> ids.add((Long) e.get("row_id"))));
      Map<String, Object> input = asMap(summary.get("input"));
      Map<Long, float[]> rows = new HashMap<>();
      if (ids.isEmpty() || input == null) {
        return rows;
      }
      String path = String.valueOf(input.get("path"));
      String column = String.valueOf(input.get("column"));
      try (ActivationStore store = ActivationStore.open(spark, new InputConfig(path, column,
          OnInvalid.SKIP, InputConfig.DEFAULT_STORAGE_LEVEL), OptionalInt.of(dIn))) {
        Column x = store.activationType() == ActivationType.ML_VECTOR
            ? org.apache.spark.ml.functions.vector_to_array(functions.col(column), "float32")
            : functions.col(column).cast(DataTypes.createArrayType(DataTypes.FloatType));
        for (Row r : store.withRowIds().where(functions.col(ActivationStore.ROW_ID)
            .isin(ids.toArray())).select(functions.col(ActivationStore.ROW_ID), x).collectAsList()) {
          List<Float> v = r.getList(1);
          float[] a = new float[v.size()];
          for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
          }
          rows.put(r.getLong(0), a);
        }
      } catch (RuntimeException e) {
        LOG.warn("the feature gallery shows no inputs: the analysed store {} could not be read "
            + "back ({})", path, e.getMessage());
      }
      return rows;
    }

    private Map<String, Object> readJson(Path file) {
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

  /** A Parquet value as JSON: arrays as lists, binary as its size, structs and maps as text. */
  static Object jsonValue(Object v) {
    if (v instanceof byte[] bytes) {
      return "<" + bytes.length + " bytes>";
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> out = new ArrayList<>();
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        out.add(jsonValue(it.next()));
      }
      return out;
    }
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    return v.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
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

  /**
   * Sorted rows of an examples table, consumed feature by feature: one Spark job per
   * {@value #FEATURES_PER_READ} features (a filtered, sorted collect; the tables are range
   * partitioned by {@code feature_id}, so Parquet statistics skip the other files), so the
   * driver holds that many features' examples at a time. Not {@code toLocalIterator}, whose
   * task results a cluster with {@code spark.kryo.registrationRequired=true} refuses.
   */
  private static final class ExampleStream {
    static final int FEATURES_PER_READ = 8 * ReportData.CHUNK;
    final List<String> meta;
    private final Dataset<Row> table;
    private final Column[] order;
    private int readEnd;
    private Iterator<Row> rows = Collections.emptyIterator();
    private Row next;

    private ExampleStream(List<String> meta, Dataset<Row> table, Column[] order) {
      this.meta = meta;
      this.table = table;
      this.order = order;
    }

    static ExampleStream open(SparkSession spark, Path table, List<String> order,
        List<String> added) {
      if (!exists(table, spark.sparkContext().hadoopConfiguration())) {
        // An analysis written before band samples existed: pages show no band samples.
        return new ExampleStream(List.of(), null, null);
      }
      Dataset<Row> df = ActivationStore.readTable(spark, table.toString());
      List<String> meta = new ArrayList<>();
      for (StructField field : df.schema().fields()) {
        if (!added.contains(field.name())) {
          meta.add(field.name());
        }
      }
      return new ExampleStream(meta, df, order.stream().map(functions::col).toArray(Column[]::new));
    }

    /** The rows of feature {@code j}; features must be asked for in ascending order. */
    <T> List<T> take(int j, java.util.function.Function<Row, T> convert) {
      List<T> out = new ArrayList<>();
      if (table == null) {
        return out;
      }
      if (j >= readEnd) {
        int first = j;
        readEnd = first + FEATURES_PER_READ;
        Column feature = functions.col("feature_id");
        rows = table.where(feature.geq(first).and(feature.lt(readEnd))).orderBy(order)
            .collectAsList().iterator();
        next = rows.hasNext() ? rows.next() : null;
      }
      while (next != null && next.getInt(next.fieldIndex("feature_id")) <= j) {
        if (next.getInt(next.fieldIndex("feature_id")) == j) {
          out.add(convert.apply(next));
        }
        next = rows.hasNext() ? rows.next() : null;
      }
      return out;
    }
  }

  /** {@code features.parquet} as columns. */
  private static final class FeatureColumns {
    long[] fireCount;
    double[] frequency;
    double[] meanActivation;
    float[] maxActivation;
    float[] decoderNorm;
    double[] decoderKurtosis;
    long[][] histogram;

    static FeatureColumns read(SparkSession spark, Path table) {
      List<Row> rows = ActivationStore.readTable(spark, table.toString()).orderBy("feature_id")
          .collectAsList();
      FeatureColumns f = new FeatureColumns();
      int n = rows.size();
      f.fireCount = new long[n];
      f.frequency = new double[n];
      f.meanActivation = new double[n];
      f.maxActivation = new float[n];
      f.decoderNorm = new float[n];
      f.decoderKurtosis = new double[n];
      f.histogram = new long[n][];
      boolean hasHistogram = rows.isEmpty()
          || List.of(rows.get(0).schema().fieldNames()).contains("activation_histogram");
      for (int j = 0; j < n; j++) {
        Row r = rows.get(j);
        Errors.check(r.getInt(r.fieldIndex("feature_id")) == j,
            "%s: feature_id %d at position %d; the table must hold features 0..d_sae-1 once",
            table, r.getInt(r.fieldIndex("feature_id")), j);
        f.fireCount[j] = r.getLong(r.fieldIndex("fire_count"));
        f.frequency[j] = r.getDouble(r.fieldIndex("frequency"));
        f.meanActivation[j] = r.getDouble(r.fieldIndex("mean_activation"));
        f.maxActivation[j] = r.getFloat(r.fieldIndex("max_activation"));
        f.decoderNorm[j] = r.getFloat(r.fieldIndex("decoder_norm"));
        f.decoderKurtosis[j] = r.getDouble(r.fieldIndex("decoder_kurtosis"));
        if (hasHistogram) {
          List<Long> h = r.getList(r.fieldIndex("activation_histogram"));
          f.histogram[j] = h.stream().mapToLong(Long::longValue).toArray();
        }
      }
      return f;
    }

    int dSae() {
      return fireCount.length;
    }

    Map<String, Object> asColumns() {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("fire_count", fireCount);
      c.put("frequency", frequency);
      c.put("mean_activation", meanActivation);
      c.put("max_activation", maxActivation);
      c.put("decoder_norm", decoderNorm);
      c.put("decoder_kurtosis", finite(decoderKurtosis));
      return c;
    }

    Map<String, Object> row(int j) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", j);
      m.put("fire_count", fireCount[j]);
      m.put("frequency", frequency[j]);
      m.put("mean_activation", meanActivation[j]);
      m.put("max_activation", maxActivation[j]);
      m.put("decoder_norm", decoderNorm[j]);
      m.put("decoder_kurtosis", Double.isFinite(decoderKurtosis[j]) ? decoderKurtosis[j] : null);
      m.put("histogram", histogram[j]);
      return m;
    }

    private static Double[] finite(double[] v) {
      Double[] out = new Double[v.length];
      for (int i = 0; i < v.length; i++) {
        out[i] = Double.isFinite(v[i]) ? v[i] : null;
      }
      return out;
    }
  }
}
