package org.gsae.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.io.Checkpoint;
import org.gsae.core.io.CheckpointIO;
import org.gsae.core.io.ModelInfo;
import org.gsae.core.io.TrainerState;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.BatchPlan;
import org.gsae.core.train.GradientAccumulator;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sharded Spark trainer against two independent computations of the same training on one
 * machine (same seed, batch plan and initial parameters), bit for bit:
 *
 * <ul>
 *   <li>with one partition, the local {@link SaeTrainer};
 *   <li>with P partitions, the driver path the Spark trainer used before its state was sharded:
 *       each partition's gradient sums computed from its rows ({@link GradientAccumulator}),
 *       merged in partition order, and the update applied once to the whole model
 *       ({@link SaeTrainer#applyStep}), written here without Spark.
 * </ul>
 *
 * Local mode's {@link InProcessTrainer} is checked against the local trainer too.
 * The number of shards must not matter (the norm is summed in pieces whatever the shards);
 * several partition and shard counts are checked, including shards that cut the encoder
 * mid-row and the decoder between rows.
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

  /** A dictionary whose parameters span several pieces and whose gradient is 4.6 MB. */
  private static final int LARGE_D_SAE = 8192;

  private static SaeParameters init(int dSae) {
    return SaeInit.initialize(TrainFixtures.D_IN, dSae, 3, data.data().mean());
  }

  /** {@code cfg.steps()} steps of the local trainer. */
  private static float[] local(TrainConfig cfg, int dSae) {
    GatedSae sae = new GatedSae(init(dSae), cfg.sparsityCoefficient());
    new SaeTrainer(sae, cfg).train(data.data(), cfg.steps(), null);
    return sae.parameters().toFlat();
  }

  /** The former driver path: per-partition sums merged in partition order, one update. */
  private static float[] driverPath(TrainConfig cfg, long[] partitionRowCounts, int dSae) {
    SaeTrainer tr = new SaeTrainer(new GatedSae(init(dSae), cfg.sparsityCoefficient()), cfg);
    BatchPlan plan = new BatchPlan(TrainFixtures.ROWS, cfg.batchSize(), cfg.seed(), cfg.shuffle());
    for (long t = 0; t < cfg.steps(); t++) {
      long[] idx = plan.indices(t);
      double lambda = tr.lambdaAt(t);
      GradientAccumulator total = new GradientAccumulator(TrainFixtures.D_IN, dSae);
      long start = 0;
      int k = 0;
      for (long count : partitionRowCounts) {
        int from = k;
        while (k < idx.length && idx[k] < start + count) {
          k++;
        }
        if (k > from) {
          long[] mine = java.util.Arrays.copyOfRange(idx, from, k);
          total.merge(new GradientAccumulator(TrainFixtures.D_IN, dSae).add(tr.model().parameters(),
              tr.loss(), lambda, data.data().gather(mine).toFloatArray(), mine.length,
              tr.chunkRows()));
        }
        start += count;
      }
      tr.applyStep(total, lambda);
    }
    return tr.model().parameters().toFlat();
  }

  private record Trained(float[] params, long[] partitionRowCounts) {}

  private static Trained distributed(TrainConfig cfg, int partitions, int dSae, int shards) {
    try (ActivationStore s = ActivationStore.open(SparkTestSession.get(), InputConfig.of(store));
         PackedStore packed = s.pack(PackOptions.defaults().withPartitions(partitions).withBlockRows(100))) {
      assertEquals(partitions, packed.numPartitions());
      try (DistributedTrainer t = new DistributedTrainer(
          new JavaSparkContext(SparkTestSession.get().sparkContext()), cfg,
          TrainerState.initial(init(dSae)), shards)) {
        assertEquals(Math.min(shards, t.layout().shards()), t.layout().shards());
        for (long i = 0; i < cfg.steps(); i++) {
          t.step(packed.blocks(), packed.partitionRowCounts());
        }
        return new Trained(t.parameters().toFlat(), packed.partitionRowCounts());
      }
    }
  }

  /**
   * Local mode's trainer gathers each step's rows from the partitions into this JVM and runs
   * the local trainer on them with two threads: the same bits as {@link SaeTrainer} on one
   * thread, whatever the partitioning.
   */
  @ParameterizedTest
  @CsvSource({"true, 2", "false, 3", "true, 1"})
  void givenLocalMode_whenTrainedInProcess_thenBitIdenticalToLocalWhateverThePartitions(
      boolean shuffle, int partitions) {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, shuffle);
    BatchPlan plan = new BatchPlan(TrainFixtures.ROWS, cfg.batchSize(), cfg.seed(), cfg.shuffle());
    try (ActivationStore s = ActivationStore.open(SparkTestSession.get(), InputConfig.of(store));
         PackedStore packed = s.pack(PackOptions.defaults().withPartitions(partitions).withBlockRows(100));
         InProcessTrainer t = new InProcessTrainer(
             new JavaSparkContext(SparkTestSession.get().sparkContext()), cfg,
             TrainerState.initial(init(TrainFixtures.D_SAE)), 2)) {
      assertEquals(partitions, packed.numPartitions());
      for (long i = 0; i < cfg.steps(); i++) {
        t.step(StepRows.of(packed.blocks(), packed.partitionRowCounts(), plan.indices(t.step())));
      }
      assertEquals(cfg.steps(), t.step());
      assertArrayEquals(local(cfg, TrainFixtures.D_SAE), t.parameters().toFlat());
    }
  }

  /**
   * With the packed blocks cached (the default level) the in-process step reads them from this
   * JVM's block manager and runs no Spark job after the first step (which may compute the cache);
   * with caching off every step gathers its rows with a job. Both give the local trainer's bits.
   */
  @ParameterizedTest
  @CsvSource({"MEMORY_AND_DISK, true", "NONE, false"})
  void givenCachedOrUncachedBlocks_whenTrainedInProcess_thenJobsOnlyWhenNotHeldAndTheSameBits(
      String level, boolean held) {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, true);
    BatchPlan plan = new BatchPlan(TrainFixtures.ROWS, cfg.batchSize(), cfg.seed(), cfg.shuffle());
    InputConfig in = InputConfig.of(store);
    org.apache.spark.SparkContext sc = SparkTestSession.get().sparkContext();
    String group = "in-process-" + level;
    try (ActivationStore s = ActivationStore.open(SparkTestSession.get(),
             new InputConfig(in.path(), in.column(), in.onInvalid(), level));
         PackedStore packed = s.pack(PackOptions.defaults().withPartitions(2).withBlockRows(100));
         InProcessTrainer t = new InProcessTrainer(new JavaSparkContext(sc), cfg,
             TrainerState.initial(init(TrainFixtures.D_SAE)), 2)) {
      t.step(StepRows.of(packed.blocks(), packed.partitionRowCounts(), plan.indices(0)));
      sc.setJobGroup(group, "in-process steps after the first", false);
      try {
        while (t.step() < cfg.steps()) {
          t.step(StepRows.of(packed.blocks(), packed.partitionRowCounts(), plan.indices(t.step())));
        }
      } finally {
        sc.clearJobGroup();
      }
      sc.listenerBus().waitUntilEmpty(30_000);   // job events reach the status store asynchronously
      assertEquals(held ? 0 : STEPS - 1, sc.statusTracker().getJobIdsForGroup(group).length);
      assertArrayEquals(local(cfg, TrainFixtures.D_SAE), t.parameters().toFlat());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @CsvSource({"true, 1", "false, 1", "true, 3"})
  void givenOnePartition_whenTrained_thenBitIdenticalToLocal(boolean shuffle, int shards) {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, shuffle);
    assertArrayEquals(local(cfg, TrainFixtures.D_SAE),
        distributed(cfg, 1, TrainFixtures.D_SAE, shards).params());
  }

  @ParameterizedTest
  @CsvSource({"2, 1", "2, 2", "3, 4"})
  void givenSeveralPartitions_whenTrained_thenBitIdenticalToTheDriverPath(int partitions, int shards) {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, true);
    Trained d = distributed(cfg, partitions, TrainFixtures.D_SAE, shards);
    assertArrayEquals(driverPath(cfg, d.partitionRowCounts(), TrainFixtures.D_SAE), d.params());
  }

  @Test
  void givenSameConfig_whenRunTwice_thenBitIdentical() {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, true);
    assertArrayEquals(distributed(cfg, 3, TrainFixtures.D_SAE, 2).params(),
        distributed(cfg, 3, TrainFixtures.D_SAE, 2).params());
  }

  @Test
  void givenClippingOff_whenTrained_thenTheFusedReductionAndUpdateMatchTheDriverPath() {
    TrainConfig c = TrainFixtures.config(STEPS, 0, true);
    TrainConfig cfg = new TrainConfig(c.variant(), c.steps(), c.batchSize(), c.lr(),
        c.lrWarmupSteps(), c.lrSchedule(), c.lrEndRatio(), c.sparsityCoefficient(),
        c.sparsityWarmupSteps(), c.auxCoefficient(), c.adamBeta1(), c.adamBeta2(), c.adamEps(),
        0.0, c.seed(), c.shuffle(), c.checkpointEvery(), c.logEvery());
    Trained d = distributed(cfg, 2, TrainFixtures.D_SAE, 2);
    assertArrayEquals(driverPath(cfg, d.partitionRowCounts(), TrainFixtures.D_SAE), d.params());
  }

  @Test
  void givenALargeDictionaryInManyShards_thenOnePartitionIsLocalAndThreeAreTheDriverPath() {
    TrainConfig cfg = TrainFixtures.config(4, 0, true);
    assertTrue(SaeParameters.parameterCount(TrainFixtures.D_IN, LARGE_D_SAE) > (1 << 18));
    assertArrayEquals(local(cfg, LARGE_D_SAE), distributed(cfg, 1, LARGE_D_SAE, 5).params());
    Trained d = distributed(cfg, 3, LARGE_D_SAE, 5);
    assertArrayEquals(driverPath(cfg, d.partitionRowCounts(), LARGE_D_SAE), d.params());
  }

  /**
   * A resume on a cluster: the trainer stores a checkpoint as its shards' blocks reading, for
   * each shard, just that shard's range of each tensor (never a whole tensor streamed), and
   * continues to the bits of the local trainer that never stopped.
   */
  @Test
  void givenACheckpoint_whenTheShardedTrainerStartsFromIt_thenItReadsShardRangesAndContinuesBitIdentically() {
    TrainConfig cfg = TrainFixtures.config(STEPS, 0, true);
    SaeTrainer uninterrupted = new SaeTrainer(
        new GatedSae(init(LARGE_D_SAE), cfg.sparsityCoefficient()), cfg);
    uninterrupted.train(data.data(), 2, null);
    org.apache.hadoop.fs.Path ckpt = new org.apache.hadoop.fs.Path(
        dir.resolve("resume").toUri().toString(), CheckpointIO.dirName(2));
    CheckpointIO.write(ckpt, uninterrupted, ModelInfo.empty(), Map.of("step", 2), null);
    Checkpoint c = CheckpointIO.read(ckpt, null);
    java.util.List<String> reads = new java.util.ArrayList<>();
    TrainerState recorded = new TrainerState() {
      @Override
      public int dIn() {
        return c.dIn();
      }

      @Override
      public int dSae() {
        return c.dSae();
      }

      @Override
      public long step() {
        return c.step();
      }

      @Override
      public void write(Part part, int tensor, FloatSink sink) {
        throw new AssertionError("a whole tensor was streamed: " + part.tensorName(tensor));
      }

      @Override
      public void read(Part part, int tensor, long from, float[] dst, int offset, int length) {
        reads.add(part + " " + tensor + " [" + from + ", " + (from + length) + ")");
        c.read(part, tensor, from, dst, offset, length);
      }
    };
    uninterrupted.train(data.data(), 2, null);
    try (ActivationStore s = ActivationStore.open(SparkTestSession.get(), InputConfig.of(store));
         PackedStore packed = s.pack(PackOptions.defaults().withPartitions(1).withBlockRows(100));
         DistributedTrainer t = new DistributedTrainer(
             new JavaSparkContext(SparkTestSession.get().sparkContext()), cfg, recorded, 4)) {
      java.util.List<String> expected = new java.util.ArrayList<>();
      for (int sh = 0; sh < t.layout().shards(); sh++) {   // shard by shard, as stored
        for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
          for (TrainerState.Part part : TrainerState.Part.values()) {
            long from = t.layout().from(sh, i);
            int len = t.layout().length(sh, i);
            if (len > 0) {
              expected.add(part + " " + i + " [" + from + ", " + (from + len) + ")");
            }
          }
        }
      }
      assertEquals(4, t.layout().shards());
      assertEquals(expected, reads);
      for (int i = 0; i < 2; i++) {
        t.step(packed.blocks(), packed.partitionRowCounts());
      }
      assertEquals(4, t.step());
      assertArrayEquals(uninterrupted.model().parameters().toFlat(), t.parameters().toFlat());
    }
  }
}
