package org.gsae.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.apache.hadoop.fs.Path;
import org.gsae.core.io.CheckpointIO;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole train job: outputs, checkpoints, and bit-identical resume after a driver loss. */
@Tag("determinism")
class TrainingRunTest {
  private static final long STEPS = 20;
  @TempDir static java.nio.file.Path dir;
  static String store;
  static float[] uninterrupted;
  static java.nio.file.Path uninterruptedOut;

  @BeforeAll
  static void trainOnce() {
    store = TrainFixtures.writeStore(dir);
    uninterruptedOut = dir.resolve("full");
    TrainingReport r = run(uninterruptedOut, null);
    assertEquals(STEPS, r.stepsRun());
    assertEquals(0, r.resumedAtStep());
    uninterrupted = model(uninterruptedOut);
  }

  private static TrainConfig cfg() {
    return TrainFixtures.config(STEPS, 5, true);
  }

  private static TrainingReport run(java.nio.file.Path out, StepListener listener) {
    return run(out, listener, 2);
  }

  /** @param partitions {@code spark.partitions}: 0 in local mode is the in-process step */
  private static TrainingReport run(java.nio.file.Path out, StepListener listener,
      int partitions) {
    return new TrainingRun(SparkTestSession.get(),
        TrainFixtures.spec(store, out, cfg(), partitions), listener).run();
  }

  private static float[] model(java.nio.file.Path out) {
    return ModelDirectory.load(new Path(out.resolve("model").toUri())).params().toFlat();
  }

  @Test
  void givenAFinishedRun_thenModelMetricsAndNewestCheckpointsAreWritten() throws Exception {
    assertTrue(Files.exists(uninterruptedOut.resolve("model/cfg.json")));
    assertTrue(Files.exists(uninterruptedOut.resolve("model/sae_weights.safetensors")));
    // Checkpoints at 5, 10, 15 and the final 20; the two newest are kept.
    try (var s = Files.list(uninterruptedOut.resolve("checkpoints"))) {
      assertEquals(java.util.List.of(CheckpointIO.dirName(15), CheckpointIO.dirName(20)),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    var metrics = SparkTestSession.get().read().parquet(uninterruptedOut.resolve("metrics.parquet").toString());
    assertEquals(STEPS, metrics.count());
    assertEquals(java.util.List.of(MetricsTable.SCHEMA.fieldNames()), java.util.List.of(metrics.schema().fieldNames()));
  }

  @Test
  void givenDriverLostAfterACheckpoint_whenRerun_thenResumesAndEndsBitIdentical() throws Exception {
    java.nio.file.Path out = dir.resolve("interrupted");
    RuntimeException lost = assertThrows(RuntimeException.class, () -> run(out, (m, ckpt) -> {
      if (m.step() == 12) {
        throw new RuntimeException("simulated driver loss at step 12");
      }
    }));
    assertEquals("simulated driver loss at step 12", lost.getMessage());
    assertTrue(Files.notExists(out.resolve("model")), "no model is written by a failed run");
    // A half-written checkpoint left by a crash must be ignored.
    Files.createDirectories(out.resolve("checkpoints/.step-0000000015.tmp-crash"));
    Files.writeString(out.resolve("checkpoints/.step-0000000015.tmp-crash/cfg.json"), "{trunc");

    TrainingReport r = run(out, null);
    assertEquals(10, r.resumedAtStep());
    assertEquals(STEPS - 10, r.stepsRun());
    assertArrayEquals(uninterrupted, model(out));
    // The metrics table is the uninterrupted one, row for row and bit for bit.
    SparkTestSession.frames().assertDataFrameEquals(
        SparkTestSession.get().read().parquet(uninterruptedOut.resolve("metrics.parquet").toString()).orderBy("step"),
        SparkTestSession.get().read().parquet(out.resolve("metrics.parquet").toString()).orderBy("step"),
        SparkTestSession.frames().assertDataFrameEquals$default$3());
  }

  @Test
  void givenAFinishedRun_whenRerun_thenNothingChanges() {
    java.nio.file.Path out = dir.resolve("again");
    run(out, null);
    TrainingReport second = run(out, null);
    assertEquals(STEPS, second.resumedAtStep());
    assertEquals(0, second.stepsRun());
    assertArrayEquals(uninterrupted, model(out));
  }

  /**
   * The same for local mode's in-process step: a resume restores the model and Adam's moments
   * from the checkpoint into this JVM and ends with the uninterrupted run's bits.
   */
  @Test
  void givenTheInProcessStep_whenTheDriverIsLostAndTheRunRerun_thenBitIdentical() {
    java.nio.file.Path full = dir.resolve("in-process-full");
    run(full, null, 0);
    java.nio.file.Path out = dir.resolve("in-process-interrupted");
    assertThrows(RuntimeException.class, () -> run(out, (m, ckpt) -> {
      if (m.step() == 12) {
        throw new RuntimeException("simulated driver loss at step 12");
      }
    }, 0));
    TrainingReport r = run(out, null, 0);
    assertEquals(10, r.resumedAtStep());
    assertArrayEquals(model(full), model(out));
    SparkTestSession.frames().assertDataFrameEquals(
        SparkTestSession.get().read().parquet(full.resolve("metrics.parquet").toString()).orderBy("step"),
        SparkTestSession.get().read().parquet(out.resolve("metrics.parquet").toString()).orderBy("step"),
        SparkTestSession.frames().assertDataFrameEquals$default$3());
  }
}
