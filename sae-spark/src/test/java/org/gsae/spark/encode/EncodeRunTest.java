package org.gsae.spark.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.model.AlignedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.analysis.AnalysisFixtures;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Seq;

/** The {@code encode} job against the local encoder on the same rows, plus its output contract. */
@Tag("determinism")
class EncodeRunTest {
  private static final int D_SAE = 40;

  @TempDir static Path dir;
  static SyntheticActivations data;
  static SaeParameters params;
  static String store;
  static String model;

  @BeforeAll
  static void fixtures() {
    data = SyntheticActivations.generate(900, 12, 24, 3.0, 0.05, 23);
    store = AnalysisFixtures.writeSynthetic(dir, "synth", data, 3);
    params = AnalysisFixtures.randomModel(data, D_SAE, 5);
    model = AnalysisFixtures.saveModel(dir, "model", params);
  }

  /**
   * The local encoder's feature activations of every row [rows, d_sae] and reconstructions
   * [rows, d_in], in the same row-aligned batches as the job with this batch size (the job must
   * match them bit for bit whatever its partitioning).
   */
  private static float[][] local(int batchSize) {
    int rows = data.data().rows();
    int n = data.data().dIn();
    float[] acts = new float[rows * D_SAE];
    float[] xHat = new float[rows * n];
    AlignedEncoder encoder = new AlignedEncoder(params, AlignedEncoder.blockRows(batchSize, rows), true,
        (ids, b, x, f, r) -> {
          for (int i = 0; i < b; i++) {
            System.arraycopy(f, i * D_SAE, acts, (int) ids[i] * D_SAE, D_SAE);
            System.arraycopy(r, i * n, xHat, (int) ids[i] * n, n);
          }
        });
    for (int i = 0; i < rows; i++) {
      encoder.add(i, data.data().data(), i * n);
    }
    encoder.flush();
    return new float[][] {acts, xHat};
  }

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private static String out(String name) {
    return dir.resolve(name).toUri().toString();
  }

  private static EncodeReport encode(String storePath, String out, boolean dense,
      boolean reconstruct, OnInvalid onInvalid, int batchSize) {
    InputConfig in = new InputConfig(storePath, "activation", onInvalid, "MEMORY_AND_DISK");
    return new EncodeRun(spark(), new EncodeSpec(model, in, out, dense, reconstruct, batchSize)).run();
  }

  private static float[] floats(Row r, String column) {
    Seq<Object> s = r.getAs(column);
    float[] out = new float[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Float) s.apply(i);
    }
    return out;
  }

  private static int[] ints(Row r, String column) {
    Seq<Object> s = r.getAs(column);
    int[] out = new int[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Integer) s.apply(i);
    }
    return out;
  }

  @Test
  void givenSparseCodesWithReconstruction_whenEncoded_thenEveryRowMatchesTheLocalEncoder() {
    String out = out("sparse");
    EncodeReport r = encode(store, out, false, true, OnInvalid.FAIL, 64);
    float[][] local = local(64);
    float[] acts = local[0];
    float[] xHat = local[1];
    assertEquals(900, r.rows());
    assertEquals(0, r.skippedRows());

    Dataset<Row> codes = spark().read().parquet(out);
    StructType expected = new StructType()
        .add("example_id", DataTypes.LongType).add("doc_id", DataTypes.IntegerType)
        .add("position", DataTypes.IntegerType).add("token", DataTypes.StringType)
        .add("row_id", DataTypes.LongType)
        .add("feature_indices", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("feature_values", DataTypes.createArrayType(DataTypes.FloatType))
        .add("reconstruction", DataTypes.createArrayType(DataTypes.FloatType));
    assertEquals(expected, codes.schema().asNullable());

    List<Row> rows = codes.orderBy("row_id").collectAsList();
    assertEquals(900, rows.size());
    int n = data.data().dIn();
    long l0 = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      assertEquals((long) i, row.getLong(4));
      assertEquals((long) i, row.getLong(0), "example_id carried through");
      assertEquals(i / 128, row.getInt(1), "doc_id carried through");
      assertEquals(i % 128, row.getInt(2), "position carried through");
      List<Integer> idx = new ArrayList<>();
      List<Float> val = new ArrayList<>();
      for (int j = 0; j < D_SAE; j++) {
        if (acts[i * D_SAE + j] > 0) {
          idx.add(j);
          val.add(acts[i * D_SAE + j]);
        }
      }
      assertArrayEquals(idx.stream().mapToInt(Integer::intValue).toArray(), ints(row, "feature_indices"),
          "active features of row " + i + ", ascending");
      float[] v = floats(row, "feature_values");
      assertEquals(val.size(), v.length);
      for (int a = 0; a < v.length; a++) {
        assertEquals(val.get(a), v[a], 0f, "value of row " + i);
      }
      assertArrayEquals(java.util.Arrays.copyOfRange(xHat, i * n, (i + 1) * n),
          floats(row, "reconstruction"), "reconstruction of row " + i);
      l0 += idx.size();
    }
    assertEquals((double) l0 / 900, r.l0Mean(), 1e-12);
  }

  @Test
  void givenDenseCodes_whenEncoded_thenFeatureActsAreTheLocalRows() {
    String out = out("dense");
    encode(store, out, true, false, OnInvalid.FAIL, 100);
    float[] acts = local(100)[0];
    Dataset<Row> codes = spark().read().parquet(out);
    assertFalse(List.of(codes.columns()).contains("feature_indices"));
    assertFalse(List.of(codes.columns()).contains("reconstruction"));
    for (Row row : codes.orderBy("row_id").collectAsList()) {
      int i = (int) row.getLong(4);
      assertArrayEquals(java.util.Arrays.copyOfRange(acts, i * D_SAE, (i + 1) * D_SAE),
          floats(row, "feature_acts"), "row " + i);
    }
  }

  /**
   * Output part p holds exactly the rows of input partition p in their order (Spark names the
   * part files by partition index). The scan is split into several partitions by lowering
   * {@code spark.sql.files.maxPartitionBytes}.
   */
  @Test
  void givenSeveralInputPartitions_whenEncoded_thenEachOutputPartHoldsItsInputPartitionInOrder()
      throws IOException {
    SparkTestSession.withSqlConf("spark.sql.files.maxPartitionBytes", "8192", () -> {
      try (ActivationStore s = ActivationStore.open(spark(), InputConfig.of(store))) {
        List<List<Row>> input = s.withRowIds().select("row_id").javaRDD().glom().collect();
        assertTrue(input.size() > 3, "more partitions than files: " + input.size());
        String out = out("partitioned");
        EncodeReport r = encode(store, out, false, false, OnInvalid.FAIL, 50);
        assertEquals(input.size(), r.partitions());
        Map<Integer, List<Long>> parts = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(URI.create(out)))) {
          for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
            int p = Integer.parseInt(f.getFileName().toString().substring(5, 10));
            parts.put(p, spark().read().parquet(f.toUri().toString()).select("row_id")
                .as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        for (int p = 0; p < input.size(); p++) {
          List<Long> want = input.get(p).stream().map(row -> row.getLong(0)).toList();
          assertEquals(want, parts.getOrDefault(p, List.of()), "partition " + p);
        }
      }
    });
  }

  @Test
  void givenAnEarlierOutput_whenEncodedAgain_thenItIsReplacedAndCarriesTheMarker() throws IOException {
    String out = out("rerun");
    encode(store, out, true, false, OnInvalid.FAIL, 100);
    encode(store, out, false, false, OnInvalid.FAIL, 100);
    Dataset<Row> codes = spark().read().parquet(out);
    assertTrue(List.of(codes.columns()).contains("feature_indices"), "the second run's format");
    assertEquals(900, codes.count());
    String marker = Files.readString(Path.of(URI.create(out)).resolve(EncodeRun.MARKER));
    assertTrue(marker.contains("\"codes\" : \"sparse\""), marker);
    try (Stream<Path> siblings = Files.list(dir)) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().startsWith(".rerun.")));
    }
  }

  @Test
  void givenAForeignDirectory_whenEncodedInto_thenUsageErrorAndItIsKept() throws IOException {
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "keep");
    GsaeException e = assertThrows(GsaeException.class,
        () -> encode(store, foreign.toUri().toString(), false, false, OnInvalid.FAIL, 100));
    assertEquals(ErrorCode.USAGE, e.code());
    assertEquals("keep", Files.readString(foreign.resolve("notes.txt")));
  }

  private static String mixedStore() {
    float[][] rows = {{1, 2}, {3, Float.NaN}, {5, 6, 7}, {-1, 4}};
    return AnalysisFixtures.writeStore(dir, "mixed-" + System.nanoTime(), rows, 2, false);
  }

  @Test
  void givenInvalidRows_whenFail_thenInvalidInputNamesTheRowAndNothingIsWritten() {
    String out = out("fail");
    GsaeException e = assertThrows(GsaeException.class, () -> new EncodeRun(spark(), new EncodeSpec(
        AnalysisFixtures.saveModel(dir, "relu-fail", AnalysisFixtures.reluModel()),
        new InputConfig(mixedStore(), "activation", OnInvalid.FAIL, "NONE"), out, false, false,
        10)).run());
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.where().contains("row_id 1") || e.where().contains("row_id 2"), e.getMessage());
    assertFalse(Files.exists(Path.of(URI.create(out))));
  }

  @Test
  void givenInvalidRows_whenSkip_thenTheyAreDroppedAndCounted() {
    String out = out("skip");
    EncodeReport r = new EncodeRun(spark(), new EncodeSpec(
        AnalysisFixtures.saveModel(dir, "relu-skip", AnalysisFixtures.reluModel()),
        new InputConfig(mixedStore(), "activation", OnInvalid.SKIP, "NONE"), out, false, true,
        10)).run();
    assertEquals(2, r.rows());
    assertEquals(2, r.skippedRows());
    List<Row> rows = spark().read().parquet(out).orderBy("row_id").collectAsList();
    assertEquals(List.of(0L, 3L), rows.stream().map(x -> x.getLong(2)).toList());
    // relu model: (1, 2) -> features 0 and 1; (-1, 4) -> feature 1 only, x_hat = (0, 4).
    assertArrayEquals(new int[] {0, 1}, ints(rows.get(0), "feature_indices"));
    assertArrayEquals(new float[] {1, 2}, floats(rows.get(0), "feature_values"));
    assertArrayEquals(new int[] {1}, ints(rows.get(1), "feature_indices"));
    assertArrayEquals(new float[] {0, 4}, floats(rows.get(1), "reconstruction"));
  }

  @Test
  void givenDoubleActivations_whenEncoded_thenTheCodesAreThoseOfTheFloatValues() {
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("activation", DataTypes.createArrayType(DataTypes.DoubleType));
    String path = out("doubles");
    spark().createDataFrame(List.of(RowFactory.create("a", List.of(2.5, -1.0)),
        RowFactory.create("b", List.of(0.5, 3.0))), schema).coalesce(1).write().parquet(path);
    String out = out("doubles-out");
    new EncodeRun(spark(), new EncodeSpec(
        AnalysisFixtures.saveModel(dir, "relu-doubles", AnalysisFixtures.reluModel()),
        InputConfig.of(path), out, true, false, 4)).run();
    List<Row> rows = spark().read().parquet(out).orderBy("row_id").collectAsList();
    assertEquals("a", rows.get(0).getString(0));
    assertArrayEquals(new float[] {2.5f, 0, 0}, floats(rows.get(0), "feature_acts"));
    assertArrayEquals(new float[] {0.5f, 3f, 0}, floats(rows.get(1), "feature_acts"));
  }

  @Test
  void givenAMetadataColumnNamedLikeACodeColumn_whenEncoded_thenInvalidInputNamesIt() {
    StructType schema = new StructType().add("feature_values", DataTypes.StringType)
        .add("activation", DataTypes.createArrayType(DataTypes.FloatType));
    String path = out("clash");
    spark().createDataFrame(List.<Row>of(RowFactory.create("x", List.of(1f, 2f))), schema)
        .write().parquet(path);
    GsaeException e = assertThrows(GsaeException.class, () -> new EncodeRun(spark(),
        new EncodeSpec(AnalysisFixtures.saveModel(dir, "relu-clash", AnalysisFixtures.reluModel()),
            InputConfig.of(path), out("clash-out"), false, false, 4)).run());
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.problem().contains("'feature_values'"), e.getMessage());
  }
}
