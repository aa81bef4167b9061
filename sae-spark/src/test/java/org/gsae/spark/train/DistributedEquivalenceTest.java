package org.gsae.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.PackOptions;
import org.gsae.spark.store.PackedStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark trainer against the local {@link SaeTrainer} on the same global batches (same
 * seed, same batch plan, same initial parameters), after 20 steps.
 *
 * <p>One partition must be bit-identical: the partition gathers the batch rows in the same
 * order and evaluates the same chunks. With 2 and 3 partitions only the float32 summation
 * order of the gradient differs (partial sums per partition, then merged). Tolerance, and
 * why: a rounding difference of relative size ~1e-7 in a gradient moves Adam's step
 * {@code lr * m / sqrt(v)} by about the same relative amount, except in coordinates whose
 * gradient is itself a near-cancelling sum, where Adam's normalisation can amplify it up to
 * the full step {@code lr}. So each parameter must agree within {@code 1e-5 + 1e-4 |p|}, and
 * at most 0.5% of the coordinates may differ by more, each by at most {@code 2 * lr * steps}.
 */
@Tag("determinism")
class DistributedEquivalenceTest {
  private static final int STEPS = 20;
  @TempDir static Path dir;
  static String store;
  static SyntheticActivations data;

  @BeforeAll
  static void writeStore() {
    store = TrainFixtures.writeStore(dir);
    data = TrainFixtures.data();
  }

  /**
   * A dictionary whose gradient (4 (2 d_in d_sae + 3 d_sae + d_in) bytes, 4.6 MB) is too large
   * for a task result, so it reaches the driver through the block manager
   * ({@code OrderedResults}); the 48-feature gradients of the other cases (27 KB) come back as
   * task results.
   */
  private static final int LARGE_D_SAE = 8192;

  private static SaeParameters init(int dSae) {
    return SaeInit.initialize(TrainFixtures.D_IN, dSae, 3, data.data().mean());
  }

  private static float[] local(TrainConfig cfg) {
    return local(cfg, TrainFixtures.D_SAE);
  }

  /** {@code cfg.steps()} steps of the local trainer. */
  private static float[] local(TrainConfig cfg, int dSae) {
    GatedSae sae = new GatedSae(init(dSae), cfg.sparsityCoefficient());
    new SaeTrainer(sae, cfg).train(data.data(), cfg.steps(), null);
    return sae.parameters().toFlat();
  }

  private static float[] distributed(TrainConfig cfg, int partitions) {
    return distributed(cfg, partitions, TrainFixtures.D_SAE);
  }

  private static float[] distributed(TrainConfig cfg, int partitions, int dSae) {
    try (ActivationStore s = ActivationStore.open(SparkTestSession.get(), InputConfig.of(store));
         PackedStore packed = s.pack(PackOptions.defaults().withPartitions(partitions).withBlockRows(100))) {
      assertEquals(partitions, packed.numPartitions());
      GatedSae sae = new GatedSae(init(dSae), cfg.sparsityCoefficient());
      DistributedTrainer t = new DistributedTrainer(
          new JavaSparkContext(SparkTestSession.get().sparkContext()), new SaeTrainer(sae, cfg));
      for (long i = 0; i < cfg.steps(); i++) {
        t.step(packed.blocks(), packed.partitionRowCounts());
      }
      return sae.parameters().toFlat();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void givenOnePartition_whenTrained_thenBitIdenticalToLocal(boolean shuffle) {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, shuffle);
    assertArrayEquals(local(cfg), distributed(cfg, 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void givenSeveralPartitions_whenTrained_thenLocalWithinFloatRounding(int partitions) {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, true);
    assertWithinFloatRounding(local(cfg), distributed(cfg, partitions), cfg, "partitions=" + partitions);
  }

  private static void assertWithinFloatRounding(float[] a, float[] b, TrainConfig cfg, String label) {
    int outliers = 0;
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs(a[i] - b[i]);
      worst = Math.max(worst, d);
      if (d > 1e-5 + 1e-4 * Math.abs(a[i])) {
        outliers++;
        assertTrue(d <= 2 * cfg.lr() * cfg.steps(), label + ": parameter " + i + " differs by " + d);
      }
    }
    assertTrue(outliers <= a.length / 200, label + ": " + outliers + " of " + a.length
        + " parameters differ beyond float rounding (worst " + worst + ")");
    System.out.printf("%s: max |diff| %.3g, %d of %d beyond 1e-5+1e-4|p|%n", label, worst, outliers,
        a.length);
  }

  @Test
  void givenSameConfig_whenRunTwice_thenBitIdentical() {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, true);
    assertArrayEquals(distributed(cfg, 3), distributed(cfg, 3));
  }

  @Test
  void givenGradientsTooLargeForTaskResults_thenOnePartitionBitIdenticalToLocalAndThreeClose() {
    TrainConfig cfg = TrainFixtures.config(4, 0, true);
    assertTrue(4 * SaeParameters.parameterCount(TrainFixtures.D_IN, LARGE_D_SAE) > (1 << 20));
    float[] local = local(cfg, LARGE_D_SAE);
    assertArrayEquals(local, distributed(cfg, 1, LARGE_D_SAE));
    assertWithinFloatRounding(local, distributed(cfg, 3, LARGE_D_SAE), cfg, "d_sae=" + LARGE_D_SAE
        + ", partitions=3");
  }
}
