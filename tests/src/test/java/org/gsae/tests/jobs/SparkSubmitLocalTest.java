package org.gsae.tests.jobs;

import static org.gsae.tests.jobs.GsaeCommands.uri;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.gsae.core.io.LoadedModel;
import org.gsae.core.model.SaeParameters;
import org.gsae.testing.ParquetTables;
import org.gsae.tests.cluster.SparkSubmitRunner;
import org.gsae.tests.cluster.SubmitResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} through {@code SparkSubmit --master local[2]} with the shaded jobs jar, on an
 * activation store that neither gsae nor Spark wrote ({@link ForeignStore}: parquet-hadoop's
 * example writer, a three-level {@code LIST<float>} vector column and metadata columns). The
 * outputs are read back in the test JVM with sae-core's model loader and parquet-hadoop.
 */
class SparkSubmitLocalTest {
  private static final int FILES = 2;
  private static final int ROWS_PER_FILE = 600;
  private static final int ROWS = FILES * ROWS_PER_FILE;
  private static final int D_IN = 16;
  private static final int D_SAE = 48;
  private static final int STEPS = 30;
  private static final int BATCH = 128;
  private static final int TOP_K = 5;

  @TempDir Path dir;

  @Test
  void givenAStoreWrittenByParquetHadoop_whenTrainedThroughSparkSubmit_thenModelMetricsAndAnalysisAreWritten() {
    ForeignStore.Written store = ForeignStore.write(uri(dir.resolve("store")), FILES,
        ROWS_PER_FILE, D_IN, 2 * D_IN, 11);
    TrainOutput out = new TrainOutput(uri(dir.resolve("run")));

    SubmitResult r = SparkSubmitRunner.local(2).withLabel("local-train")
        .withArgs(GsaeCommands.train(store.uri(), out.uri(), List.of(
            "model.d_sae=" + D_SAE, "train.steps=" + STEPS, "train.batch_size=" + BATCH,
            "train.lr=1e-3", "train.checkpoint_every=10", "train.log_every=10",
            "spark.partitions=2", "analyze.top_k=" + TOP_K)))
        .run().assertSucceeded();
    System.out.printf("[local] train of %d steps on %d rows through SparkSubmit local[2]: %d ms%n",
        STEPS, ROWS, r.elapsed().toMillis());

    assertTrue(r.stdout().startsWith("train: done\n"), r::describe);
    assertEquals(ROWS + " rows, d_in=" + D_IN + ", 2 partitions",
        JobOutputs.reportValue(r.stdout(), "store").orElse(null), r::describe);
    assertEquals(STEPS + " run", JobOutputs.reportValue(r.stdout(), "steps").orElse(null),
        r::describe);

    assertModel(out.loadModel(), store);
    assertMetrics(out.metrics());
    assertAnalysis(out.analysis());
    assertTrue(JobOutputs.exists(out.model() + "/sparsity.safetensors"), "sparsity.safetensors");
    // The final state is a checkpoint too; the two newest are kept.
    assertEquals(List.of("step-0000000020", "step-0000000030"), out.visibleCheckpoints());
    assertEquals(List.of(), out.incompleteCheckpoints());
  }

  private static void assertModel(LoadedModel m, ForeignStore.Written store) {
    SaeParameters p = m.params();
    assertEquals(D_IN, p.dIn());
    assertEquals(D_SAE, p.dSae());
    Map<String, long[]> shapes = Map.of(
        "W_enc", new long[] {D_IN, D_SAE}, "b_gate", new long[] {D_SAE},
        "r_mag", new long[] {D_SAE}, "b_mag", new long[] {D_SAE},
        "W_dec", new long[] {D_SAE, D_IN}, "b_dec", new long[] {D_IN});
    shapes.forEach((name, shape) -> assertArrayEquals(shape, p.get(name).shape(), name));
    for (float v : p.toFlat()) {
      assertTrue(Float.isFinite(v), "non-finite weight");
    }
    // The paper variant keeps decoder rows at unit norm after every step.
    float[] wDec = p.wDec().toFloatArray();
    for (int j = 0; j < D_SAE; j++) {
      double norm2 = 0;
      for (int i = 0; i < D_IN; i++) {
        norm2 += (double) wDec[j * D_IN + i] * wDec[j * D_IN + i];
      }
      assertEquals(1.0, Math.sqrt(norm2), 1e-5, "||W_dec[" + j + "]||");
    }
    assertEquals(STEPS, m.info().provenance().stepsTrained());
    assertEquals(store.uri(), m.info().provenance().inputPath());
  }

  private static void assertMetrics(List<double[]> rows) {
    assertEquals(STEPS, rows.size(), "metrics rows");
    for (int i = 0; i < STEPS; i++) {
      double[] row = rows.get(i);
      assertEquals(i + 1, row[0], "step of metrics row " + i);
      assertEquals(BATCH, row[TrainOutput.METRIC_COLUMNS.indexOf("rows")], "rows of step " + (i + 1));
      for (double v : row) {
        assertTrue(Double.isFinite(v), () -> "non-finite metric at step " + row[0]);
      }
    }
    double first = meanLoss(rows.subList(0, 5));
    double last = meanLoss(rows.subList(STEPS - 5, STEPS));
    assertTrue(last < first, "loss did not fall: first 5 steps " + first + ", last 5 " + last);
  }

  private static double meanLoss(List<double[]> rows) {
    int loss = TrainOutput.METRIC_COLUMNS.indexOf("loss");
    return rows.stream().mapToDouble(r -> r[loss]).average().orElseThrow();
  }

  private static void assertAnalysis(String analysis) {
    List<Group> features = ParquetTables.read(analysis + "/features.parquet");
    assertEquals(D_SAE, features.size(), "features.parquet rows");
    for (int j = 0; j < D_SAE; j++) {
      assertEquals(j, features.get(j).getInteger("feature_id", 0), "feature_id of row " + j);
    }
    JsonNode summary = JobOutputs.json(analysis + "/summary.json");
    assertEquals(ROWS, summary.get("rows").asLong());
    assertEquals(D_IN, summary.get("d_in").asInt());
    assertEquals(D_SAE, summary.get("d_sae").asInt());
    assertEquals(STEPS, summary.get("model").get("steps_trained").asLong());

    // Metadata columns of the foreign store travel unchanged with each top example's row_id.
    List<Group> top = ParquetTables.read(analysis + "/top_examples.parquet");
    assertTrue(!top.isEmpty(), "no top examples");
    for (Group g : top) {
      long rowId = g.getLong("row_id", 0);
      assertTrue(rowId >= 0 && rowId < ROWS, "row_id " + rowId);
      assertEquals(ForeignStore.token(rowId), g.getString("token", 0), "token of row " + rowId);
      assertEquals(ForeignStore.docId(rowId), g.getInteger("doc_id", 0), "doc_id of row " + rowId);
      assertEquals(ForeignStore.position(rowId), g.getInteger("position", 0), "position of row " + rowId);
      assertTrue(g.getFloat("activation", 0) > 0, "activation of a top example");
      int rank = g.getInteger("rank", 0);
      assertTrue(rank >= 1 && rank <= TOP_K, "rank " + rank);
    }
  }
}
