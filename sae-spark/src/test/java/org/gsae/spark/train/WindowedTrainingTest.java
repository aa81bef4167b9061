package org.gsae.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.io.Checkpoint;
import org.gsae.core.io.CheckpointIO;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeInit;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.TrainConfig;
import org.gsae.core.train.WindowPlan;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.demo.SyntheticStore;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.StoreWindow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training that reads the store in windows: the same steps as the local trainer fed the
 * {@link WindowPlan}'s batches (one partition, bit for bit), deterministic across runs,
 * resumable across a window boundary, and an invalid row in a window read late fails the run
 * with the usual message and leaves the last checkpoint whole.
 */
class WindowedTrainingTest {
  private static final int FILES = 8;
  private static final long STEPS = 20;   // batch 128 over 1000 rows: about 2.5 epochs

  @TempDir static Path dir;
  private static String store;
  private static long budget;
  private static List<StoreWindow> windows;

  @BeforeAll
  static void writeStore() {
    store = dir.resolve("store").toUri().toString();
    SyntheticStore.write(SparkTestSession.get(), store, TrainFixtures.data(), FILES);
    try (ActivationStore s = ActivationStore.open(SparkTestSession.get(), InputConfig.of(store))) {
      budget = s.totalBytes() / 3;   // about three files a window
      windows = s.windows(budget);
    }
    assertTrue(windows.size() >= 3, "windows: " + windows);
  }

  private static TrainConfig cfg() {
    return TrainFixtures.config(STEPS, 5, true);
  }

  private static TrainingReport train(String from, Path out, int partitions, int prefetch,
      StepListener listener) {
    TrainingSpec spec = new TrainingSpec(InputConfig.of(from), new WindowSettings(budget, prefetch),
        out.toUri().toString(), dIn -> TrainFixtures.D_SAE, null, cfg(), partitions,
        Map.of("test", true), null);
    return new TrainingRun(SparkTestSession.get(), spec, listener).run();
  }

  private static float[] model(Path out) {
    return ModelDirectory.load(new org.apache.hadoop.fs.Path(out.resolve("model").toUri()))
        .params().toFlat();
  }

  /**
   * The local trainer on the plan's batches: rows of each window the step touches, window by
   * window in store order, each window's rows in store order; {@code b_dec} starts at the mean
   * of the first window read.
   */
  private static float[] local() {
    SyntheticActivations data = TrainFixtures.data();
    int dIn = TrainFixtures.D_IN;
    float[] x = data.data().data();
    TrainConfig c = cfg();
    WindowPlan plan = new WindowPlan(windows.size(), c.batchSize(), c.seed(), c.shuffle());
    StoreWindow first = windows.get(plan.windowAt(0));
    double[] sum = new double[dIn];
    for (long r = first.firstRow(); r < first.firstRow() + first.rows(); r++) {
      for (int j = 0; j < dIn; j++) {
        sum[j] += x[(int) r * dIn + j];
      }
    }
    float[] mean = new float[dIn];
    for (int j = 0; j < dIn; j++) {
      mean[j] = (float) (sum[j] / first.rows());
    }
    GatedSae sae = new GatedSae(SaeInit.initialize(dIn, TrainFixtures.D_SAE, c.seed(), mean),
        c.sparsityCoefficient());
    SaeTrainer trainer = new SaeTrainer(sae, c);
    WindowPlan.Cursor cursor = WindowPlan.Cursor.START;
    for (long t = 0; t < STEPS; t++) {
      WindowPlan.Batch b = plan.batch(cursor, w -> windows.get(w).rows());
      float[] rows = new float[c.batchSize() * dIn];
      int k = 0;
      for (int i = 0; i < b.windows().length; i++) {
        long base = windows.get(b.windows()[i]).firstRow();
        for (long r : b.rows()[i]) {
          System.arraycopy(x, (int) (base + r) * dIn, rows, k++ * dIn, dIn);
        }
      }
      trainer.trainStep(rows, c.batchSize());
      cursor = b.next();
    }
    return sae.parameters().toFlat();
  }

  @Test
  void givenOnePartition_thenBitIdenticalToTheLocalTrainerOnThePlansBatches() {
    TrainingReport r = train(store, dir.resolve("one-partition"), 1, 1, null);
    assertEquals(windows.size(), r.windows());
    assertEquals(STEPS, r.stepsRun());
    assertArrayEquals(local(), model(dir.resolve("one-partition")));
  }

  /**
   * Local mode with {@code spark.partitions} at 0: the in-process step over windows packed in
   * two partitions each puts the gathered rows back in the plan's order (window by window,
   * store order), so it equals the local trainer too.
   */
  @Test
  void givenLocalModeWithoutPartitions_thenTheInProcessStepIsTheLocalTrainerOnThePlansBatches() {
    TrainingReport r = train(store, dir.resolve("in-process"), 0, 1, null);
    assertEquals(windows.size(), r.windows());
    assertEquals(2, r.partitions());
    assertArrayEquals(local(), model(dir.resolve("in-process")));
  }

  @Test
  void givenTwoPartitions_thenRunsAndPrefetchDepthsAgreeBitForBit() {
    train(store, dir.resolve("p2-a"), 2, 1, null);
    train(store, dir.resolve("p2-b"), 2, 0, null);
    train(store, dir.resolve("p2-c"), 2, 3, null);
    float[] a = model(dir.resolve("p2-a"));
    assertArrayEquals(a, model(dir.resolve("p2-b")), "no prefetch");
    assertArrayEquals(a, model(dir.resolve("p2-c")), "three windows prefetched");
  }

  @Test
  void givenDriverLostAfterACheckpoint_whenRerun_thenResumesAcrossWindowsBitIdentical()
      throws Exception {
    Path full = dir.resolve("resume-full");
    train(store, full, 2, 1, null);
    Path out = dir.resolve("resume-cut");
    assertThrows(RuntimeException.class, () -> train(store, out, 2, 1, (m, ckpt) -> {
      if (m.step() == 13) {
        throw new RuntimeException("simulated driver loss at step 13");
      }
    }));
    Checkpoint at10 = CheckpointIO.latestComplete(
        new org.apache.hadoop.fs.Path(out.resolve("checkpoints").toUri()),
        new org.apache.hadoop.conf.Configuration()).orElseThrow();
    assertEquals(10, at10.step());
    DataCursor cursor = DataCursor.of(at10.state());
    assertEquals(windows.size(), cursor.windows());
    assertEquals(budget, cursor.windowBytes());
    // Ten steps of 128 rows read more than a window; the rest of the run crosses more.
    assertTrue(cursor.cursor().visit() >= 2, "visit " + cursor.cursor());
    TrainingReport r = train(store, out, 2, 1, null);
    assertEquals(10, r.resumedAtStep());
    assertArrayEquals(model(full), model(out));
  }

  @Test
  void givenAnInvalidRowInALateWindow_thenTheRunFailsNamingItAndKeepsTheLastCheckpoint()
      throws Exception {
    SyntheticActivations data = TrainFixtures.data();
    int badRow = 990;   // in the last file, so in the last window in store order
    data.data().data()[badRow * TrainFixtures.D_IN + 3] = Float.NaN;
    String bad = dir.resolve("store-with-nan").toUri().toString();
    SyntheticStore.write(SparkTestSession.get(), bad, data, FILES);
    Path out = dir.resolve("late-nan");
    TrainingSpec spec = new TrainingSpec(InputConfig.of(bad), new WindowSettings(budget, 1),
        out.toUri().toString(), dIn -> TrainFixtures.D_SAE, null,
        TrainFixtures.config(STEPS, 2, false), 2, Map.of("test", true), null);
    GsaeException e = assertThrows(GsaeException.class,
        () -> new TrainingRun(SparkTestSession.get(), spec, null).run());
    assertEquals(ErrorCode.INVALID_INPUT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("row_id " + badRow), e.getMessage());
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    assertFalse(Files.exists(out.resolve("model")), "no model from a failed run");
    // In store order the bad window comes last: steps ran and checkpointed before it.
    Checkpoint last = CheckpointIO.latestComplete(
        new org.apache.hadoop.fs.Path(out.resolve("checkpoints").toUri()),
        new org.apache.hadoop.conf.Configuration()).orElseThrow();
    assertTrue(last.step() >= 2, "last checkpoint at step " + last.step());
    assertEquals(TrainFixtures.D_SAE, last.dSae());
  }
}
