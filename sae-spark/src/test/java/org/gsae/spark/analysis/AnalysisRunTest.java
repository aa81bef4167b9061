package org.gsae.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.RDDBlockId;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.SparsityFile;
import org.gsae.core.model.SaeParameters;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/** The {@code analyze} job's outputs, atomicity and input errors, on the hand-worked store. */
class AnalysisRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static String store;
  static String model;

  @BeforeAll
  static void fixtures() {
    store = AnalysisFixtures.writeStore(dir, "hand", AnalysisFixtures.HAND_ROWS, 2, true);
    model = AnalysisFixtures.saveModel(dir, "relu-model", AnalysisFixtures.reluModel());
  }

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private static AnalysisReport analyze(String storePath, String modelPath, String out,
      OnInvalid onInvalid) {
    InputConfig in = new InputConfig(storePath, "activation", onInvalid, "MEMORY_AND_DISK");
    return new AnalysisRun(spark(), new AnalysisSpec(modelPath, in, out, 2, 2, 2)).run();
  }

  private static String out(String name) {
    return dir.resolve(name).toUri().toString();
  }

  /**
   * The analysis reads the store in one pass and keeps none of it: no block of the row-block
   * RDD is ever stored (a store larger than the executors would otherwise be copied to their
   * disks).
   */
  @Test
  void givenAStore_whenAnalysed_thenNoRowBlockIsCached() throws TimeoutException {
    SparkContext sc = spark().sparkContext();
    Map<Integer, String> rddNames = new ConcurrentHashMap<>();
    List<Integer> storedRdds = new CopyOnWriteArrayList<>();
    SparkListener listener = new SparkListener() {
      @Override
      public void onStageSubmitted(SparkListenerStageSubmitted e) {
        JavaConverters.seqAsJavaListConverter(e.stageInfo().rddInfos()).asJava()
            .forEach(r -> rddNames.put(r.id(), r.name()));
      }

      @Override
      public void onBlockUpdated(SparkListenerBlockUpdated e) {
        if (e.blockUpdatedInfo().blockId() instanceof RDDBlockId b
            && e.blockUpdatedInfo().storageLevel().isValid()) {
          storedRdds.add(b.rddId());
        }
      }
    };
    sc.addSparkListener(listener);
    try {
      analyze(store, model, out("streamed"), OnInvalid.FAIL);
      sc.listenerBus().waitUntilEmpty(30_000);
    } finally {
      sc.removeSparkListener(listener);
    }
    assertTrue(rddNames.values().stream().anyMatch(n -> n.startsWith("gsae row blocks of")),
        "the pass reads row blocks: " + rddNames.values());
    for (int id : storedRdds) {
      assertFalse(String.valueOf(rddNames.get(id)).startsWith("gsae row blocks of"),
          "stored a block of " + rddNames.get(id));
    }
  }

  @Test
  void givenTheHandStore_whenAnalysed_thenFeaturesAreByHand() {
    String out = out("features-by-hand");
    AnalysisReport r = analyze(store, model, out, OnInvalid.FAIL);
    assertEquals(4, r.rows());
    assertEquals(1, r.deadFeatures());
    assertEquals(4, r.rankedRows());

    Dataset<Row> f = spark().read().parquet(out + "/" + AnalysisRun.FEATURES);
    assertEquals(FeatureTable.SCHEMA.asNullable(), f.schema().asNullable());
    List<Row> rows = f.orderBy("feature_id").collectAsList();
    assertEquals(rounded(List.of(
        // Activations 4, 3, 4 and 1, 5 in bins floor(8 (log10 a + 4)): 36, 35, 36 and 32, 37.
        RowFactory.create(0, 3L, 0.75, Math.log10(0.75 + 1e-10), 11.0 / 3, 4f, false, 1f, -2.0,
            histogram(35, 36, 36)),
        RowFactory.create(1, 2L, 0.5, Math.log10(0.5 + 1e-10), 3.0, 5f, false, 1f, -2.0,
            histogram(32, 37)),
        RowFactory.create(2, 0L, 0.0, -10.0, 0.0, 0f, true, norm(0.6f, 0.8f), -2.0,
            histogram()))),
        rounded(rows));
  }

  private static float norm(float a, float b) {
    return (float) Math.sqrt((double) a * a + (double) b * b);
  }

  /** Doubles rounded to 12 significant digits, so that by-hand fractions compare equal. */
  /** A 64-bin activation histogram with one count per listed bin. */
  private static List<Long> histogram(int... bins) {
    long[] h = new long[64];
    for (int b : bins) {
      h[b]++;
    }
    return java.util.Arrays.stream(h).boxed().toList();
  }

  private static List<Row> rounded(List<Row> rows) {
    List<Row> out = new ArrayList<>();
    for (Row row : rows) {
      Object[] v = new Object[row.length()];
      for (int i = 0; i < v.length; i++) {
        Object x = row.get(i);
        v[i] = x instanceof Double d ? round(d)
            : x instanceof scala.collection.Seq<?> seq
                ? new ArrayList<>(scala.collection.JavaConverters.seqAsJavaList(seq)) : x;
      }
      out.add(RowFactory.create(v));
    }
    return out;
  }

  private static double round(double d) {
    return Double.parseDouble(String.format("%.12g", d));
  }

  @Test
  void givenTheHandStore_whenAnalysed_thenTopExamplesCarryTheMetadataAndTiesRankBySmallerRowId() {
    String out = out("top-by-hand");
    analyze(store, model, out, OnInvalid.FAIL);
    Dataset<Row> top = spark().read().parquet(out + "/" + AnalysisRun.TOP_EXAMPLES);
    StructType expectedSchema = new StructType()
        .add("feature_id", DataTypes.IntegerType)
        .add("rank", DataTypes.IntegerType)
        .add("activation", DataTypes.FloatType)
        .add("row_id", DataTypes.LongType)
        .add("example_id", DataTypes.LongType)
        .add("token", DataTypes.StringType);
    assertEquals(expectedSchema, top.schema().asNullable());
    // Odd rows have a null token: nulls are carried through too.
    Dataset<Row> expected = spark().createDataFrame(List.of(
        RowFactory.create(0, 1, 4f, 0L, 0L, "t0"),
        RowFactory.create(0, 2, 4f, 3L, 3L, null),
        RowFactory.create(1, 1, 5f, 2L, 2L, "t2"),
        RowFactory.create(1, 2, 1f, 1L, 1L, null)), expectedSchema);
    SparkTestSession.frames().assertDataFrameDataEquals(expected, top.orderBy("feature_id", "rank"));
  }

  @Test
  void givenTheHandStore_whenAnalysed_thenSummaryAndSparsityAreByHand() throws IOException {
    String out = out("summary-by-hand");
    analyze(store, model, out, OnInvalid.FAIL);
    JsonNode s = JSON.readTree(Files.readAllBytes(Path.of(java.net.URI.create(out)).resolve("summary.json")));
    assertEquals(4, s.get("rows").asLong());
    assertEquals(2, s.get("d_in").asInt());
    assertEquals(3, s.get("d_sae").asInt());
    assertEquals(1.25, s.get("l0_mean").asDouble(), 1e-12);
    assertEquals(1.0, s.get("l0_median").asDouble(), 0);
    assertEquals("[0,3,1]", s.get("l0_histogram").toString());
    assertEquals(1, s.get("dead_features").asInt());
    assertEquals(2, s.get("alive_features").asInt());
    assertEquals(1.0 / 3, s.get("dead_ratio").asDouble(), 1e-12);
    assertEquals(1.0, s.get("topk_share").asDouble(), 1e-12); // all mass in the top 3 (= d_sae)
    assertEquals(3, s.get("topk_share_k").asInt());
    assertEquals(3.5, s.get("mse").asDouble(), 1e-12);
    assertEquals(14.0 / 59.75, s.get("fvu").asDouble(), 1e-12);
    assertEquals(1 - 14.0 / 59.75, s.get("explained_variance").asDouble(), 1e-12);
    assertEquals(1.0, s.get("relative_reconstruction_bias").asDouble(), 1e-12);
    assertEquals((4 / Math.sqrt(17) + 1 + 5 / Math.sqrt(29) + 0.8) / 4,
        s.get("cosine_similarity").asDouble(), 1e-7);
    assertEquals(-2.0, s.get("decoder_kurtosis_mean").asDouble(), 1e-9);
    assertEquals(model, s.get("model").get("path").asText());
    assertEquals(store, s.get("input").get("path").asText());
    assertEquals(2, s.get("input").get("files").asInt());
    assertEquals(0, s.get("input").get("skipped_rows").asInt());
    assertTrue(s.get("input").get("fingerprint").asText().startsWith("sha256:"));
    assertEquals(2, s.get("analysis").get("top_k").asInt());

    float[] sparsity = SparsityFile.read(new org.apache.hadoop.fs.Path(out), null);
    assertArrayEquals(new float[] {(float) Math.log10(0.75 + 1e-10), (float) Math.log10(0.5 + 1e-10),
        -10f}, sparsity);
  }

  @Test
  void givenAnEarlierOutput_whenARunFailsOnAnInvalidRow_thenTheEarlierOutputIsUntouched()
      throws IOException {
    String out = out("atomic");
    analyze(store, model, out, OnInvalid.FAIL);
    Path outDir = Path.of(java.net.URI.create(out));
    byte[] before = Files.readAllBytes(outDir.resolve("summary.json"));

    float[][] bad = {{1, 2}, {3, Float.NaN}, {5, 6}};
    String badStore = AnalysisFixtures.writeStore(dir, "nan", bad, 1, false);
    GsaeException e = assertThrows(GsaeException.class,
        () -> analyze(badStore, model, out, OnInvalid.FAIL));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.problem().contains("NaN at element 1"), e.getMessage());
    assertTrue(e.where().contains("row_id 1"), e.getMessage());

    assertArrayEquals(before, Files.readAllBytes(outDir.resolve("summary.json")));
    try (Stream<Path> siblings = Files.list(outDir.getParent())) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().startsWith(".atomic.")),
          "no temporary directory is left next to the output");
    }
  }

  @Test
  void givenSkip_whenSomeRowsAreInvalid_thenTheyAreCountedAndTheRestAnalysed() throws IOException {
    float[][] mixed = {{4, -1}, {3, 1, 7}, {-2, 5}, {Float.POSITIVE_INFINITY, 0}, {4, -3}};
    String mixedStore = AnalysisFixtures.writeStore(dir, "mixed", mixed, 2, false);
    String out = out("skip");
    AnalysisReport r = analyze(mixedStore, model, out, OnInvalid.SKIP);
    assertEquals(3, r.rows());
    assertEquals(2, r.skippedRows());
    JsonNode s = JSON.readTree(Files.readAllBytes(Path.of(java.net.URI.create(out)).resolve("summary.json")));
    assertEquals(2, s.get("input").get("skipped_rows").asInt());
    assertEquals(5, s.get("input").get("store_rows").asInt());
    // Row ids keep their store positions: the tie on feature 0 is now rows 0 and 4.
    List<Row> top = spark().read().parquet(out + "/" + AnalysisRun.TOP_EXAMPLES)
        .where("feature_id = 0").orderBy("rank").select("row_id").collectAsList();
    assertEquals(List.of(RowFactory.create(0L), RowFactory.create(4L)), top);
  }

  @Test
  void givenAStoreOfAnotherWidth_whenAnalysed_thenInvalidInputNamesTheFileAndRow() {
    float[][] wide = {{1, 2, 3}, {4, 5, 6}};
    String wideStore = AnalysisFixtures.writeStore(dir, "wide", wide, 1, false);
    GsaeException e = assertThrows(GsaeException.class,
        () -> analyze(wideStore, model, out("wide-out"), OnInvalid.FAIL));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.problem().contains("has 3 values, expected 2 (d_in of the model)"), e.getMessage());
    // Both rows are too wide and read by parallel tasks: the error names the one met first.
    assertTrue(e.where().matches("row ([01]) of .*\\.parquet, row_id \\1"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("wide-out")));
  }

  @Test
  void givenTheModelDirectoryAsOutput_whenAnalysedTwice_thenTheModelIsKeptAndCarriesSparsity() {
    String ownModel = AnalysisFixtures.saveModel(dir, "model-as-output", AnalysisFixtures.reluModel());
    analyze(store, ownModel, ownModel, OnInvalid.FAIL);
    analyze(store, ownModel, ownModel, OnInvalid.FAIL); // the second run replaces the first
    SaeParameters back = ModelDirectory.load(new org.apache.hadoop.fs.Path(ownModel)).params();
    assertArrayEquals(AnalysisFixtures.reluModel().toFlat(), back.toFlat());
    Path d = Path.of(java.net.URI.create(ownModel));
    for (String name : List.of("cfg.json", "sae_weights.safetensors", "sparsity.safetensors",
        "summary.json", "features.parquet", "top_examples.parquet")) {
      assertTrue(Files.exists(d.resolve(name)), name);
    }
  }

  @Test
  void givenAnOutputDirectoryWithOtherData_whenAnalysed_thenUsageErrorAndTheDataIsKept()
      throws IOException {
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("precious.txt"), "keep me");
    GsaeException e = assertThrows(GsaeException.class,
        () -> analyze(store, model, foreign.toUri().toString(), OnInvalid.FAIL));
    assertEquals(ErrorCode.USAGE, e.code());
    assertTrue(e.problem().contains("not an earlier analyze output"), e.getMessage());
    assertEquals("keep me", Files.readString(foreign.resolve("precious.txt")));
  }

  @Test
  void givenAMetadataColumnNamedLikeAnOutputColumn_whenAnalysed_thenInvalidInputNamesIt() {
    StructType schema = new StructType()
        .add("Rank", DataTypes.IntegerType)
        .add("activation", DataTypes.createArrayType(DataTypes.FloatType));
    String path = out("clash");
    spark().createDataFrame(List.of(RowFactory.create(1, List.of(1f, 2f))), schema)
        .write().parquet(path);
    GsaeException e = assertThrows(GsaeException.class,
        () -> analyze(path, model, out("clash-out"), OnInvalid.FAIL));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.problem().contains("'Rank'"), e.getMessage());
  }
}
