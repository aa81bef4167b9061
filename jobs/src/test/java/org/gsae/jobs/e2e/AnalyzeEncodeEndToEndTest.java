package org.gsae.jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.analysis.DecoderSharpness;
import org.gsae.core.analysis.SaeFeatureAnalyzer;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.SparsityFile;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.metrics.ActivationHistograms;
import org.gsae.core.metrics.BandSamples;
import org.gsae.core.metrics.FeatureStats;
import org.gsae.core.metrics.TopKExamples;
import org.gsae.core.model.GatedEncoder;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;
import org.gsae.jobs.Main;
import org.gsae.jobs.run.RunnerProvider;
import org.gsae.spark.demo.SyntheticStore;
import org.gsae.testing.ParquetTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three commands through {@link Main#run}, on one local Spark session that the test owns
 * (the runners must leave it running): train (with the analysis after training), analyze,
 * encode; outputs read back with parquet-hadoop's own reader and checked against the local
 * {@link SaeFeatureAnalyzer} and {@link GatedEncoder} on the same rows.
 */
@Tag("determinism")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyzeEncodeEndToEndTest {
  private static final int ROWS = 1500;
  private static final int D_IN = 16;
  private static final int D_SAE = 32;
  private static final int TOP_K = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static SparkSession spark;
  static SyntheticActivations data;
  static Path store;
  static Path run;
  static SaeParameters model;

  private String stdout;
  private String stderr;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("gsae e2e")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    data = SyntheticActivations.generate(ROWS, D_IN, 24, 3.0, 0.05, 3);
    store = dir.resolve("store");
    SyntheticStore.write(spark, store.toUri().toString(), data, 3);
    run = dir.resolve("run");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private int sae(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(RunnerProvider.DEFAULT, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
    stdout = out.toString(StandardCharsets.UTF_8);
    stderr = err.toString(StandardCharsets.UTF_8);
    assertFalse(spark.sparkContext().isStopped(), "a runner stopped a session it did not create");
    return code;
  }

  private static String uri(Path p) {
    return p.toUri().toString();
  }

  @Test
  @Order(1)
  void trainThenAnalyseAfterTraining() throws IOException {
    assertEquals(0, sae("train", "--set", "input.path=" + uri(store), "--set", "output.path=" + uri(run),
        "--set", "model.d_sae=" + D_SAE, "--set", "train.steps=30", "--set", "train.batch_size=256",
        "--set", "analyze.top_k=" + TOP_K, "--set", "analyze.batch_size=300"), stderr);
    assertTrue(stdout.contains("analysis FVU"), stdout);
    model = ModelDirectory.load(new org.apache.hadoop.fs.Path(uri(run.resolve("model")))).params();
    for (String f : List.of("features.parquet", "top_examples.parquet", "summary.json",
        "sparsity.safetensors")) {
      assertTrue(Files.exists(run.resolve("analysis").resolve(f)), f);
    }
    assertArrayEquals(SparsityFile.read(new org.apache.hadoop.fs.Path(uri(run.resolve("analysis"))), null),
        SparsityFile.read(new org.apache.hadoop.fs.Path(uri(run.resolve("model"))), null),
        "the model directory carries the analysis' sparsity");

    // cfg.json: the training config as JSON under the config file's own key names (a Python
    // user reads it with json.load), and SAELens-style metadata with what training learned.
    JsonNode cfg = JSON.readTree(run.resolve("model/cfg.json").toFile());
    JsonNode tc = cfg.path("gsae").path("train_config");
    assertTrue(tc.isObject(), cfg.toString());
    assertEquals(30, tc.path("train.steps").asLong(), tc.toString());
    assertEquals(256, tc.path("train.batch_size").asInt(), tc.toString());
    assertEquals(D_SAE, tc.path("model.d_sae").asInt(), tc.toString());
    assertTrue(tc.path("train.lr").isNumber(), tc.toString());
    assertEquals(uri(store), tc.path("input.path").asText());
    JsonNode meta = cfg.path("metadata");
    JsonNode summary = JSON.readTree(run.resolve("analysis/summary.json").toFile());
    assertEquals("gated", meta.path("architecture").asText(), meta.toString());
    assertEquals(uri(store), meta.path("dataset_path").asText());
    assertEquals(30, meta.path("training_steps").asLong());
    assertTrue(meta.path("final_batch_l0").asDouble() > 0, meta.toString());
    assertEquals(summary.path("dead_features").asInt(), meta.path("dead_features").asInt());
    assertEquals(summary.path("l0_mean").asDouble(), meta.path("l0").asDouble(), 0);
    assertEquals(summary.path("dead_ratio").asDouble(), meta.path("dead_ratio").asDouble(), 0);
  }

  private AnalysisMetrics local() {
    return new SaeFeatureAnalyzer(new GatedSae(model, 1.0), 300).analyze(data.data(), TOP_K);
  }

  @Test
  @Order(2)
  void analyzeMatchesTheLocalAnalyzer() throws IOException {
    Path out = dir.resolve("analysis");
    assertEquals(0, sae("analyze", "--model", uri(run.resolve("model")), "--input", uri(store),
        "--output", uri(out), "--top-k", "" + TOP_K, "--batch-size", "300"), stderr);
    assertTrue(stdout.startsWith("analyze: done") && stdout.contains("dead features"), stdout);
    AnalysisMetrics local = local();
    FeatureStats stats = local.featureStats();

    Path features = out.resolve("features.parquet");
    MessageType fs = ParquetTables.schema(features);
    assertEquals(PrimitiveTypeName.INT32, ParquetTables.primitive(fs, "feature_id"));
    assertEquals(PrimitiveTypeName.INT64, ParquetTables.primitive(fs, "fire_count"));
    assertEquals(PrimitiveTypeName.DOUBLE, ParquetTables.primitive(fs, "frequency"));
    assertEquals(PrimitiveTypeName.DOUBLE, ParquetTables.primitive(fs, "log10_frequency"));
    assertEquals(PrimitiveTypeName.DOUBLE, ParquetTables.primitive(fs, "mean_activation"));
    assertEquals(PrimitiveTypeName.FLOAT, ParquetTables.primitive(fs, "max_activation"));
    assertEquals(PrimitiveTypeName.BOOLEAN, ParquetTables.primitive(fs, "dead"));
    assertEquals(PrimitiveTypeName.FLOAT, ParquetTables.primitive(fs, "decoder_norm"));
    assertEquals(PrimitiveTypeName.DOUBLE, ParquetTables.primitive(fs, "decoder_kurtosis"));
    List<Group> rows = ParquetTables.read(features);
    assertEquals(D_SAE, rows.size());
    double[] kurtosis = DecoderSharpness.of(model.wDec().toFloatArray(), D_SAE, D_IN).perFeature();
    float[] wDec = model.wDec().toFloatArray();
    for (Group g : rows) {
      int j = g.getInteger("feature_id", 0);
      assertEquals(stats.fireCounts()[j], g.getLong("fire_count", 0), "fire count " + j);
      assertEquals(stats.frequencies()[j], g.getDouble("frequency", 0), 0, "frequency " + j);
      assertEquals(stats.maxActivations()[j], g.getFloat("max_activation", 0), 0f, "max " + j);
      assertEquals(stats.meanActiveActivations()[j], g.getDouble("mean_activation", 0),
          1e-6 * Math.max(1, stats.meanActiveActivations()[j]), "mean " + j);
      assertEquals(stats.dead(j), g.getBoolean("dead", 0));
      double norm = 0;
      for (int i = 0; i < D_IN; i++) {
        norm += (double) wDec[j * D_IN + i] * wDec[j * D_IN + i];
      }
      assertEquals(Math.sqrt(norm), g.getFloat("decoder_norm", 0), 1e-6);
      assertEquals(kurtosis[j], g.getDouble("decoder_kurtosis", 0), 0);
      assertArrayEquals(local.histograms().histogram(j), ParquetTables.longs(g, "activation_histogram"),
          "activation histogram " + j);
    }

    // band_examples.parquet: the local analyzer's band samples, with each row's metadata.
    List<Group> bands = ParquetTables.read(out.resolve("band_examples.parquet"));
    assertEquals(local.bandSamples().count(), bands.size());
    float[] edges = ActivationHistograms.binEdges();
    for (Group g : bands) {
      int j = g.getInteger("feature_id", 0);
      int band = g.getInteger("band", 0);
      BandSamples.Example e = local.bandSamples().examples(j, band).get(g.getInteger("rank", 0) - 1);
      long rowId = g.getLong("row_id", 0);
      assertEquals(e.rowId(), rowId, "feature " + j + " band " + band);
      assertEquals(e.activation(), g.getFloat("activation", 0), 0f);
      assertEquals(edges[band * BandSamples.BINS_PER_BAND], g.getFloat("band_low", 0), 0f);
      assertEquals(edges[(band + 1) * BandSamples.BINS_PER_BAND], g.getFloat("band_high", 0), 0f);
      assertEquals(token((int) rowId), g.getString("token", 0));
    }

    // analyze wrote its report beside the tables, with the run's curves (the model's parent).
    assertTrue(stdout.contains("report         file:" + out.resolve("report/index.html")), stdout);
    String runData = Files.readString(out.resolve("report/data/run.js"));
    assertTrue(runData.contains("\"curves\":{\"step\":[1.0,"), "curves from the run's metrics");

    List<Group> top = ParquetTables.read(out.resolve("top_examples.parquet"));
    MessageType ts = ParquetTables.schema(out.resolve("top_examples.parquet"));
    assertEquals(List.of("feature_id", "rank", "activation", "row_id", "example_id", "doc_id",
        "position", "token"), ts.getFields().stream().map(f -> f.getName()).toList());
    assertEquals(PrimitiveTypeName.BINARY, ParquetTables.primitive(ts, "token"));
    long expectedRows = 0;
    for (int j = 0; j < D_SAE; j++) {
      expectedRows += local.topKExamples().count(j);
    }
    assertEquals(expectedRows, top.size());
    for (Group g : top) {
      int j = g.getInteger("feature_id", 0);
      int rank = g.getInteger("rank", 0);
      TopKExamples.Example e = local.topKExamples().examples(j).get(rank - 1);
      long rowId = g.getLong("row_id", 0);
      assertEquals(e.rowId(), rowId, "feature " + j + " rank " + rank);
      assertEquals(e.activation(), g.getFloat("activation", 0), 0f);
      assertEquals(rowId, g.getLong("example_id", 0), "metadata of the same row");
      assertEquals((int) rowId / 128, g.getInteger("doc_id", 0));
      assertEquals((int) rowId % 128, g.getInteger("position", 0));
      assertEquals(token((int) rowId), g.getString("token", 0));
    }

    JsonNode s = JSON.readTree(Files.readAllBytes(out.resolve("summary.json")));
    assertEquals(ROWS, s.get("rows").asLong());
    assertEquals(local.l0Histogram().mean(), s.get("l0_mean").asDouble(), 0);
    assertEquals(local.l0Histogram().median(), s.get("l0_median").asDouble(), 0);
    assertEquals(stats.deadCount(), s.get("dead_features").asInt());
    assertEquals(local.reconstruction().fvu(), s.get("fvu").asDouble(), 1e-9);
    assertEquals(local.reconstruction().mse(), s.get("mse").asDouble(), 1e-9 * local.reconstruction().mse());
    assertEquals(stats.topKShare(20), s.get("topk_share").asDouble(), 1e-9);
    assertEquals(uri(run.resolve("model")), s.get("model").get("path").asText());
    assertEquals(s.get("model").get("trained_on_fingerprint").asText(),
        s.get("input").get("fingerprint").asText(), "analysed on the training store");

    // The analysis after training saw the same rows in the same row-aligned batches (batch size
    // 300 both times): identical activations, so identical counts and rankings on any kernel.
    List<Group> afterTrain = ParquetTables.read(run.resolve("analysis").resolve("top_examples.parquet"));
    assertEquals(top.stream().map(Group::toString).sorted().toList(),
        afterTrain.stream().map(Group::toString).sorted().toList());
  }

  /** The token {@link SyntheticStore} writes for a row: its true features. */
  private static String token(int row) {
    StringBuilder t = new StringBuilder();
    float[] codes = data.codes();
    for (int k = 0; k < data.features(); k++) {
      if (codes[row * data.features() + k] != 0) {
        t.append(t.length() == 0 ? "" : "+").append('f').append(k);
      }
    }
    return t.length() == 0 ? "<none>" : t.toString();
  }

  @Test
  @Order(3)
  void encodeThenDecodeAndReEncodeEveryRow() {
    Path out = dir.resolve("codes");
    String[] args = {"encode", "--model", uri(run.resolve("model")), "--input", uri(store),
        "--output", uri(out), "--reconstruct", "--batch-size", "200"};
    assertEquals(0, sae(args), stderr);
    assertTrue(stdout.startsWith("encode: done"), stdout);
    assertEquals(0, sae(args), "a re-run replaces the output: " + stderr);

    MessageType schema = ParquetTables.schema(out);
    assertEquals(PrimitiveTypeName.INT64, ParquetTables.primitive(schema, "row_id"));
    assertEquals(PrimitiveTypeName.INT32, ParquetTables.listElement(schema, "feature_indices"));
    assertEquals(PrimitiveTypeName.FLOAT, ParquetTables.listElement(schema, "feature_values"));
    assertEquals(PrimitiveTypeName.FLOAT, ParquetTables.listElement(schema, "reconstruction"));
    assertFalse(schema.containsField("activation"));

    List<Group> rows = ParquetTables.read(out);
    assertEquals(ROWS, rows.size());
    boolean[] seen = new boolean[ROWS];
    for (Group g : rows) {
      int r = (int) g.getLong("row_id", 0);
      seen[r] = true;
      assertEquals(token(r), g.getString("token", 0), "metadata of row " + r);
      int[] idx = ParquetTables.ints(g, "feature_indices");
      float[] val = ParquetTables.floats(g, "feature_values");
      float[] recon = ParquetTables.floats(g, "reconstruction");
      // Decode the stored codes locally: it must give the stored reconstruction.
      float[] f = new float[D_SAE];
      for (int a = 0; a < idx.length; a++) {
        assertTrue(a == 0 || idx[a] > idx[a - 1], "ascending indices");
        assertTrue(val[a] > 0, "only active features");
        f[idx[a]] = val[a];
      }
      float[] decoded = GatedEncoder.decode(model, Tensor.of(f, 1, D_SAE)).toFloatArray();
      assertArrayEquals(decoded, recon, 1e-5f, "decode(codes) of row " + r);
      // Re-encode the input row locally: the same features with the same values.
      float[] again = GatedEncoder.encode(model, Tensor.of(data.data().row(r), 1, D_IN))
          .featureActs().toFloatArray();
      for (int j = 0; j < D_SAE; j++) {
        float stored = 0;
        int at = Arrays.binarySearch(idx, j);
        if (at >= 0) {
          stored = val[at];
        }
        assertEquals(again[j], stored, 1e-5f * Math.max(1, Math.abs(again[j])),
            "feature " + j + " of row " + r);
      }
    }
    for (int r = 0; r < ROWS; r++) {
      assertTrue(seen[r], "row " + r + " encoded");
    }
  }

  @Test
  @Order(4)
  void encodeDense() {
    Path out = dir.resolve("dense");
    assertEquals(0, sae("encode", "--model", uri(run.resolve("model")), "--input", uri(store),
        "--output", uri(out), "--dense"), stderr);
    MessageType schema = ParquetTables.schema(out);
    assertEquals(PrimitiveTypeName.FLOAT, ParquetTables.listElement(schema, "feature_acts"));
    assertFalse(schema.containsField("feature_indices") || schema.containsField("reconstruction"));
    float[] all = GatedEncoder.encode(model, Tensor.of(data.data().data(), ROWS, D_IN))
        .featureActs().toFloatArray();
    for (Group g : ParquetTables.read(out)) {
      int r = (int) g.getLong("row_id", 0);
      assertArrayEquals(Arrays.copyOfRange(all, r * D_SAE, (r + 1) * D_SAE),
          ParquetTables.floats(g, "feature_acts"), 1e-5f, "row " + r);
    }
  }

  @Test
  @Order(5)
  void failuresHaveTheirExitCodes() throws IOException {
    Path wide = dir.resolve("wide");
    SyntheticStore.write(spark, uri(wide), SyntheticActivations.generate(50, D_IN + 1, 8, 2.0, 0.0, 1), 1);
    assertEquals(3, sae("analyze", "--model", uri(run.resolve("model")), "--input", uri(wide),
        "--output", uri(dir.resolve("wide-analysis"))));
    assertTrue(stderr.startsWith("gsae: error: ") && stderr.contains("expected " + D_IN), stderr);
    assertFalse(Files.exists(dir.resolve("wide-analysis")));

    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("keep.txt"), "x");
    assertEquals(2, sae("encode", "--model", uri(run.resolve("model")), "--input", uri(store),
        "--output", uri(foreign)));
    assertTrue(stderr.contains("not an earlier encode output"), stderr);

    assertEquals(4, sae("encode", "--model", uri(dir.resolve("no-such-model")), "--input", uri(store),
        "--output", uri(dir.resolve("nothing"))));

    // The report's keys are checked before training: a bad shape by the loader, a column that
    // is not in the store once the store is open.
    Path never = dir.resolve("never-trained");
    assertEquals(2, sae("train", "--set", "input.path=" + uri(store), "--set", "output.path=" + uri(never),
        "--set", "analyze.image_shape=4by4"));
    assertTrue(stderr.contains("analyze.image_shape must be HEIGHTxWIDTH"), stderr);
    assertEquals(2, sae("train", "--set", "input.path=" + uri(store), "--set", "output.path=" + uri(never),
        "--set", "analyze.label_column=no_such"));
    assertTrue(stderr.contains("analyze.label_column = 'no_such' is not a metadata column"), stderr);
    assertFalse(Files.exists(never.resolve("model")), "nothing trained");
  }

  @Test
  @Order(6)
  void reportRefusesBadRequestsAndKeepsEarlierOutput() throws IOException {
    Path good = dir.resolve("report-ok");
    assertEquals(0, sae("report", "--run", uri(run), "--output", uri(good)), stderr);
    assertTrue(stdout.contains("report: done") && stdout.contains("index.html"), stdout);
    byte[] before = Files.readAllBytes(good.resolve("data/run.js"));

    assertEquals(2, sae("report", "--output", uri(good)));
    assertTrue(stderr.contains("--run") && stderr.contains("--analysis"), stderr);
    assertEquals(2, sae("report", "--run", uri(dir.resolve("no-such-run")), "--output", uri(good)));
    assertTrue(stderr.contains("--run does not exist"), stderr);
    assertEquals(2, sae("report", "--run", uri(run), "--output", uri(run)));
    assertTrue(stderr.contains("same location as --run"), stderr);
    assertEquals(2, sae("report", "--run", uri(run), "--output", uri(dir)));
    assertTrue(stderr.contains("holds --run"), stderr);
    assertEquals(2, sae("report", "--run", uri(run), "--output", uri(good), "--image-shape", "3x3"));
    assertTrue(stderr.contains("--image-shape 3x3 has 9 pixels but the model's d_in is " + D_IN), stderr);
    assertEquals(2, sae("report", "--run", uri(run), "--output", uri(good), "--image-shape", "4x4",
        "--label-column", "no_such"));
    assertTrue(stderr.contains("'no_such'") && stderr.contains("token"), stderr);
    assertEquals(2, sae("report", "--run", uri(run), "--output", uri(good), "--image-shape", "4by4"));
    assertTrue(stderr.contains("HEIGHTxWIDTH"), stderr);
    // Galleries come from an analysis: a run without one cannot draw them.
    Path bare = Files.createDirectories(dir.resolve("bare-run"));
    Files.copy(run.resolve("model/cfg.json"), Files.createDirectories(bare.resolve("model")).resolve("cfg.json"));
    assertEquals(2, sae("report", "--run", uri(bare), "--output", uri(good), "--image-shape", "4x4"));
    assertTrue(stderr.contains("draw galleries from an analysis"), stderr);
    assertArrayEquals(before, Files.readAllBytes(good.resolve("data/run.js")),
        "failed reports leave the earlier one as it was");
    assertFalse(Files.exists(good.resolve("gallery.js")));

    Path foreign = Files.createDirectories(dir.resolve("not-a-report"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    assertEquals(2, sae("report", "--run", uri(run), "--output", uri(foreign)));
    assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));
  }
}
