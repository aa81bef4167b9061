package org.gsae.spark.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.gsae.core.bench.BenchResult;
import org.gsae.core.bench.BenchSpec;
import org.gsae.core.bench.StepBenchmark;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.Variant;
import org.gsae.core.tensor.Backend;
import org.gsae.core.train.LrSchedule;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.StepMetrics;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.store.RowBlock;
import org.gsae.spark.train.DistributedTrainer;

/**
 * Times the distributed training step on the session's master: the core benchmark's batch
 * split into {@code partitions} cached row blocks, every step over the whole batch (the same
 * global batch the core step times), one BLAS thread per task. The blocks are generated on
 * the executors (from the seed), as a store's blocks are read there: shipping them from the
 * driver would put 4 B n rows into every task of every step.
 */
public final class SparkStepBenchmark {
  private SparkStepBenchmark() {}

  private static int rowsFrom(BenchSpec s, int partitions, int p) {
    return (int) ((long) p * s.batch() / partitions);
  }

  /** Partition p's rows of the benchmark batch. */
  private static RowBlock block(BenchSpec s, int partitions, int p) {
    int from = rowsFrom(s, partitions, p);
    int to = rowsFrom(s, partitions, p + 1);
    long[] ids = new long[to - from];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = from + i;
    }
    float[] x = StepBenchmark.batch(s);
    return new RowBlock(ids, Arrays.copyOfRange(x, from * s.dIn(), to * s.dIn()), to - from, s.dIn());
  }

  public static BenchResult run(SparkSession spark, BenchSpec s, int partitions) {
    Backend.setBlasThreads(1);
    float[] x = StepBenchmark.batch(s);
    long[] counts = new long[partitions];
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      counts[p] = rowsFrom(s, partitions, p + 1) - rowsFrom(s, partitions, p);
      ids.add(p);
    }
    JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
    JavaRDD<RowBlock> rdd = jsc.parallelize(ids, partitions)
        .map(p -> block(s, partitions, p))
        .persist(StorageLevel.MEMORY_ONLY());
    rdd.count();
    GatedSae sae = new GatedSae(StepBenchmark.calibrated(s, x), 1.0);
    TrainConfig cfg = new TrainConfig(Variant.PAPER, Long.MAX_VALUE / 2, s.batch(), 1e-9, 0,
        LrSchedule.CONSTANT, 0.1, 1e-6, 0, 1.0, 0.0, 0.999, 1e-8, 1.0, s.seed(), false, 0, 1);
    SaeTrainer trainer = new SaeTrainer(sae, cfg, s.chunkRows(),
        new GatedLoss(Variant.PAPER, 1.0, s.denseAbove()));
    DistributedTrainer dist = new DistributedTrainer(jsc, rdd, counts, trainer);
    try {
      for (int i = 0; i < s.warmup(); i++) {
        dist.step();
      }
      double[] before = dist.phaseSeconds();
      double[] secs = new double[s.steps()];
      double l0 = 0;
      for (int i = 0; i < s.steps(); i++) {
        long t0 = System.nanoTime();
        StepMetrics m = dist.step();
        secs[i] = (System.nanoTime() - t0) / 1e9;
        l0 += m.l0() / s.steps();
      }
      Arrays.sort(secs);
      double median = secs[secs.length / 2];
      double[] after = dist.phaseSeconds();
      StringBuilder phases = new StringBuilder();
      for (int i = 0; i < after.length; i++) {
        phases.append(i == 0 ? " [per step: " : ", ").append(DistributedTrainer.PHASES.get(i)).append(' ')
            .append(String.format("%.3f s", (after[i] - before[i]) / s.steps()));
      }
      String what = "spark " + spark.sparkContext().master() + " x" + partitions + " partitions"
          + phases + "]";
      return new BenchResult(what, s, median, s.batch() / median, s.floorFlops() / median / 1e9, l0,
          Double.NaN, -1, -1);
    } finally {
      rdd.unpersist(false);
    }
  }
}
