package org.gsae.tests.jobs;

import static org.gsae.tests.jobs.GsaeCommands.uri;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.example.data.Group;
import org.gsae.core.analysis.TokenActivations;
import org.gsae.core.io.LoadedModel;
import org.gsae.onnx.ModelFiles;
import org.gsae.onnx.OnnxActivationModel;
import org.gsae.onnx.Site;
import org.gsae.spark.demo.EuroparlText;
import org.gsae.testing.ParquetTables;
import org.gsae.tests.cluster.ClusterConfig;
import org.gsae.tests.cluster.ClusterTest;
import org.gsae.tests.cluster.LocalStandaloneCluster;
import org.gsae.tests.cluster.SparkSubmitRunner;
import org.gsae.tests.cluster.SubmitResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three gsae commands through {@code SparkSubmit} on a real two-Worker standalone cluster
 * (one core each), with Kryo as the serializer, on a store of four Parquet files written by
 * parquet-hadoop: {@code train} (with the analysis after training), then {@code analyze} and
 * {@code encode} of its model.
 * The outputs are read in the test JVM and checked against each other, exactly: {@code analyze}
 * (aggregates) and {@code encode} (one row per input row) must agree on every feature's fire
 * count, maximum and top activations. Exact agreement is expected because both encode the
 * same batches with the same code: each file holds {@value #ROWS_PER_FILE} rows, a multiple of
 * {@value #BATCH_ROWS} = {@code --batch-size}, and both jobs cut batches within whole files
 * (encode within the scan's partitions, which hold whole small files; analyze within row-id
 * ranges, whose bounds fall on file bounds), so the batches are the same row sets in the
 * same order in both jobs.
 */
@ClusterTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GsaeOnClusterTest {
  private static final int FILES = 4;
  private static final int ROWS_PER_FILE = 750;
  private static final int ROWS = FILES * ROWS_PER_FILE;
  private static final int D_IN = 24;
  private static final int D_SAE = 64;
  private static final int STEPS = 20;
  private static final int TOP_K = 5;
  private static final int BATCH_ROWS = 250;

  @TempDir static Path dir;
  private LocalStandaloneCluster cluster;
  private ForeignStore.Written store;
  private TrainOutput trained;
  private String analysed;

  @BeforeAll
  void start() {
    store = ForeignStore.write(uri(dir.resolve("store")), FILES, ROWS_PER_FILE, D_IN, 2 * D_IN, 5);
    cluster = LocalStandaloneCluster.start(ClusterConfig.defaults().withWorkers(2));
    System.out.printf("[gsae-cluster] 2 Workers up in %d ms, master %s%n",
        cluster.startupTime().toMillis(), cluster.masterUrl());
  }

  /**
   * A submit with Kryo as {@code spark.serializer}, as many clusters configure it: the
   * broadcast parameters, task results and cached blocks travel through Kryo between the
   * JVMs (gsae adds its registrator itself). Kryo's strictest setting is on, so a class gsae
   * ships without registering fails the job instead of going out with its name spelled in
   * every record. {@link FaultToleranceTest} runs with Spark's default serializer.
   */
  private SparkSubmitRunner submit(String label) {
    return ClusterJobs.submit(cluster, label)
        .withConf("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .withConf("spark.kryo.registrationRequired", "true");
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      assertEquals(List.of(), cluster.closeAndListSurvivors(), "cluster processes alive after close()");
    }
  }

  @Test
  @Order(1)
  void trainOnTheClusterWritesALoadableModelAndItsAnalysis() {
    TrainOutput out = new TrainOutput(uri(dir.resolve("run")));
    Set<String> before = ClusterJobs.appIds(cluster);
    SubmitResult r = submit("cluster-train")
        .withArgs(GsaeCommands.train(store.uri(), out.uri(), List.of(
            "model.d_sae=" + D_SAE, "train.steps=" + STEPS, "train.batch_size=256",
            "train.lr=1e-3", "train.checkpoint_every=10", "spark.partitions=2",
            "analyze.top_k=" + TOP_K)))
        .run();
    System.out.printf("[gsae-cluster] train: exit %d, %d ms%n", r.exitCode(), r.elapsed().toMillis());
    assertEquals(0, r.exitCode(), r::describe);
    assertEquals(ROWS + " rows, d_in=" + D_IN + ", 2 partitions",
        JobOutputs.reportValue(r.stdout(), "store").orElse(null), r::describe);

    // It ran on the cluster: each Worker launched an executor for it.
    String appId = ClusterJobs.newAppId(cluster, before);
    for (int w = 0; w < 2; w++) {
      assertFalse(cluster.executorIdsOf(w, appId).isEmpty(),
          "worker-" + w + " launched no executor for " + appId + "\n" + r.describe());
    }

    LoadedModel m = out.loadModel();
    assertEquals(D_IN, m.params().dIn());
    assertEquals(D_SAE, m.params().dSae());
    assertEquals(STEPS, m.info().provenance().stepsTrained());
    assertEquals(STEPS, out.metrics().size(), "metrics rows");
    assertEquals(D_SAE, ParquetTables.rowCount(out.analysis() + "/features.parquet"));
    JsonNode summary = JobOutputs.json(out.analysis() + "/summary.json");
    assertEquals(ROWS, summary.get("rows").asLong());
    assertEquals(2, summary.get("analysis").get("partitions").asInt());
    assertTrue(JobOutputs.exists(out.model() + "/sparsity.safetensors"));
    assertEquals(List.of(), out.incompleteCheckpoints());
    // The report was written by the driver from tables read on the executors.
    assertTrue(JobOutputs.exists(out.uri() + "/report/index.html"), r::describe);
    assertTrue(JobOutputs.exists(out.uri() + "/report/data/chunk-0000.js"), r::describe);
    trained = out;
  }

  @Test
  @Order(2)
  void analyzeTheTrainedModelOnTheCluster() {
    assumeTrue(trained != null, "needs the model of the train test");
    String output = uri(dir.resolve("analysis"));
    SubmitResult r = submit("cluster-analyze")
        .withArgs(GsaeCommands.analyze(trained.model(), store.uri(), output,
            "--top-k", Integer.toString(TOP_K), "--batch-size", Integer.toString(BATCH_ROWS)))
        .run();
    System.out.printf("[gsae-cluster] analyze: exit %d, %d ms%n", r.exitCode(), r.elapsed().toMillis());
    assertEquals(0, r.exitCode(), r::describe);

    List<Group> features = ParquetTables.read(output + "/features.parquet");
    assertEquals(D_SAE, features.size(), "features.parquet rows");
    assertTrue(JobOutputs.exists(output + "/report/index.html"), r::describe);
    long fires = 0;
    for (int j = 0; j < D_SAE; j++) {
      assertEquals(j, features.get(j).getInteger("feature_id", 0));
      fires += features.get(j).getLong("fire_count", 0);
    }
    JsonNode summary = JobOutputs.json(output + "/summary.json");
    assertEquals(ROWS, summary.get("rows").asLong());
    assertEquals(D_IN, summary.get("d_in").asInt());
    assertEquals(D_SAE, summary.get("d_sae").asInt());
    assertEquals(ROWS, summary.get("input").get("valid_rows").asLong());
    // Analysed on the store it was trained on, the fingerprints agree.
    assertEquals(summary.get("model").get("trained_on_fingerprint").asText(),
        summary.get("input").get("fingerprint").asText());
    assertEquals(fires, Math.round(summary.get("l0_mean").asDouble() * ROWS),
        "sum of fire counts vs l0_mean * rows");
    analysed = output;
  }

  @Test
  @Order(3)
  void encodeTheStoreOnTheClusterOneRowPerInputRowConsistentWithTheAnalysis() {
    assumeTrue(trained != null && analysed != null, "needs the train and analyze tests' outputs");
    String output = uri(dir.resolve("codes"));
    SubmitResult r = submit("cluster-encode")
        .withArgs(GsaeCommands.encode(trained.model(), store.uri(), output,
            "--batch-size", Integer.toString(BATCH_ROWS)))
        .run();
    System.out.printf("[gsae-cluster] encode: exit %d, %d ms%n", r.exitCode(), r.elapsed().toMillis());
    assertEquals(0, r.exitCode(), r::describe);
    assertEquals(ROWS, ParquetTables.rowCount(output), "encode output rows (footers)");

    List<Group> rows = ParquetTables.read(output);
    assertEquals(ROWS, rows.size());
    long[] fireCount = new long[D_SAE];
    float[] maxAct = new float[D_SAE];
    Map<Long, Map<Integer, Float>> codesByRow = new HashMap<>();
    boolean[] seen = new boolean[ROWS];
    for (Group g : rows) {
      long rowId = g.getLong("row_id", 0);
      assertTrue(rowId >= 0 && rowId < ROWS && !seen[(int) rowId], "row_id " + rowId + " twice or out of range");
      seen[(int) rowId] = true;
      assertEquals(ForeignStore.token(rowId), g.getString("token", 0), "token of row " + rowId);
      assertEquals(ForeignStore.docId(rowId), g.getInteger("doc_id", 0), "doc_id of row " + rowId);
      assertEquals(ForeignStore.position(rowId), g.getInteger("position", 0), "position of row " + rowId);
      int[] idx = ParquetTables.ints(g, "feature_indices");
      float[] val = ParquetTables.floats(g, "feature_values");
      assertEquals(idx.length, val.length, "indices and values of row " + rowId);
      Map<Integer, Float> codes = new HashMap<>();
      for (int k = 0; k < idx.length; k++) {
        assertTrue(idx[k] >= 0 && idx[k] < D_SAE && (k == 0 || idx[k] > idx[k - 1]),
            "feature indices of row " + rowId + " not ascending in [0, d_sae)");
        assertTrue(val[k] > 0, "inactive feature listed in row " + rowId);
        fireCount[idx[k]]++;
        maxAct[idx[k]] = Math.max(maxAct[idx[k]], val[k]);
        codes.put(idx[k], val[k]);
      }
      codesByRow.put(rowId, codes);
    }

    // The analysis (aggregates) and the encode (rows) saw the same activations.
    List<Group> features = ParquetTables.read(analysed + "/features.parquet");
    long[] analysedCounts = features.stream().mapToLong(g -> g.getLong("fire_count", 0)).toArray();
    float[] analysedMax = new float[D_SAE];
    for (int j = 0; j < D_SAE; j++) {
      analysedMax[j] = features.get(j).getFloat("max_activation", 0);
    }
    assertArrayEquals(analysedCounts, fireCount, "fire counts: analyze vs encode");
    assertArrayEquals(analysedMax, maxAct, "max activations: analyze vs encode");
    for (Group g : ParquetTables.read(analysed + "/top_examples.parquet")) {
      int j = g.getInteger("feature_id", 0);
      long rowId = g.getLong("row_id", 0);
      Float encoded = codesByRow.get(rowId).get(j);
      assertNotNull(encoded, "top example: feature " + j + " not active in row " + rowId);
      assertEquals(g.getFloat("activation", 0), encoded.floatValue(),
          "feature " + j + " of row " + rowId);
    }
  }

  @Test
  @Order(4)
  void harvestOnTheClusterGivesTheModelsActivationsInDocOrder() throws java.io.IOException {
    List<String> texts = EuroparlText.sentences(120);
    java.nio.file.Files.write(dir.resolve("texts.txt"), texts);
    String output = uri(dir.resolve("harvest"));
    Set<String> before = ClusterJobs.appIds(cluster);
    SubmitResult r = submit("cluster-harvest")
        .withArgs("harvest", "--input", uri(dir.resolve("texts.txt")), "--output", output,
            "--layer", "2", "--context", "4")
        .run();
    System.out.printf("[gsae-cluster] harvest: exit %d, %d ms%n", r.exitCode(), r.elapsed().toMillis());
    assertEquals(0, r.exitCode(), r::describe);
    String appId = ClusterJobs.newAppId(cluster, before);
    for (int w = 0; w < 2; w++) {
      assertFalse(cluster.executorIdsOf(w, appId).isEmpty(),
          "worker-" + w + " launched no executor for " + appId + "\n" + r.describe());
    }
    // The same model in this JVM: every token, in doc then position order, the same values.
    List<TokenActivations> expected;
    try (OnnxActivationModel m = OnnxActivationModel.open(
        ModelFiles.resolve("minilm-l6", new org.apache.hadoop.conf.Configuration()),
        Site.of(2, "resid"), 2)) {
      expected = m.activations(texts);
    }
    List<Group> rows = ParquetTables.read(output);
    int k = 0;
    for (int doc = 0; doc < texts.size(); doc++) {
      TokenActivations a = expected.get(doc);
      for (int t = 0; t < a.size(); t++, k++) {
        Group g = rows.get(k);
        assertEquals(doc, g.getLong("doc_id", 0), "row " + k);
        assertEquals(a.positions()[t], g.getInteger("position", 0), "row " + k);
        assertEquals(a.context(t, 4), g.getString("context", 0), "row " + k);
        assertArrayEquals(java.util.Arrays.copyOfRange(a.values(), t * 384, (t + 1) * 384),
            ParquetTables.floats(g, "activation"), 1e-4f, "row " + k);
      }
    }
    assertEquals(k, rows.size());
  }
}
