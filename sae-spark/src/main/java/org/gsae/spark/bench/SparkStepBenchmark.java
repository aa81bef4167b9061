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
import org.gsae.core.tensor.Backend;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.Trainer;
import org.gsae.spark.store.RowBlock;
import org.gsae.spark.train.DistributedTrainer;
import org.gsae.spark.train.InProcessTrainer;
import org.gsae.spark.train.StepRows;

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

  /**
   * The distributed step against the core step, interleaved: after the warm-up of both, each
   * round times one core step (the spec's threads) then one Spark step (one BLAS thread per
   * task) on the same global batch, so that both come from the same few seconds (this host's
   * speed drifts by more than the difference measured).
   *
   * @param core    interleaved core steps (their median)
   * @param spark   Spark steps (their median), with the mean seconds of each
   *                {@link DistributedTrainer#PHASES phase} in {@code what}
   * @param ratio   median over rounds of (core seconds / Spark seconds): Spark's throughput as
   *                a fraction of the core step's
   * @param ratioMin the lowest round's ratio
   * @param ratioMax the highest round's ratio (on a host whose speed drifts the spread says
   *                how far one median can be trusted)
   * @param rounds  timed rounds
   * @param driverInBytes  bytes per Spark step into the driver: every task's result as Spark
   *                       counted it ({@code resultSize}: the value plus its metrics)
   * @param driverOutBytes bytes per Spark step of the functions the driver shipped with its
   *                       jobs (Java-serialised; Spark sends each once per job; the
   *                       distributed trainer only)
   * @param partitions     partitions of the batch
   */
  public record Comparison(BenchResult core, BenchResult spark, double ratio, double ratioMin,
      double ratioMax, int rounds, double driverInBytes, double driverOutBytes, int partitions) {}

  /**
   * Runs {@link Comparison}: {@code spec.warmup()} untimed rounds, then {@code spec.steps()}
   * timed ones, with the trainer {@code train} would use ({@link InProcessTrainer#usedFor}).
   *
   * @param partitionsSetting partitions of the batch, 0 = as {@code train} chooses (local
   *                          mode: the in-process step over one partition per core)
   */
  public static Comparison run(SparkSession spark, BenchSpec s, int partitionsSetting) {
    JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
    int partitions = partitionsSetting > 0 ? partitionsSetting
        : Math.max(1, jsc.defaultParallelism());
    long[] counts = new long[partitions];
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      counts[p] = rowsFrom(s, partitions, p + 1) - rowsFrom(s, partitions, p);
      ids.add(p);
    }
    JavaRDD<RowBlock> rdd = jsc.parallelize(ids, partitions)
        .map(p -> block(s, partitions, p))
        .persist(StorageLevel.MEMORY_ONLY());
    rdd.count();
    StepBenchmark.CoreSteps core = new StepBenchmark.CoreSteps(s);
    SaeTrainer local = StepBenchmark.trainer(s, StepBenchmark.batch(s));
    Trainer<StepRows> trainer = InProcessTrainer.usedFor(jsc, partitionsSetting)
        ? new InProcessTrainer(jsc, local.withThreads(s.threads()))
        : DistributedTrainer.from(jsc, local, Integer.getInteger("gsae.shards", 0));
    DistributedTrainer dist = trainer instanceof DistributedTrainer d ? d : null;
    try {
      for (int i = 0; i < s.warmup(); i++) {
        core.step();
        sparkStep(trainer, rdd, counts);
      }
      double[] before = dist == null ? new double[0] : dist.phaseSeconds();
      long closuresBefore = dist == null ? 0 : dist.closureBytes();
      java.util.concurrent.atomic.AtomicLong results = new java.util.concurrent.atomic.AtomicLong();
      org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
          if (e.taskMetrics() != null) {
            results.addAndGet(e.taskMetrics().resultSize());
          }
        }
      };
      spark.sparkContext().addSparkListener(listener);
      double[] coreSecs = new double[s.steps()];
      double[] sparkSecs = new double[s.steps()];
      double[] ratios = new double[s.steps()];
      double l0 = 0;
      double coreL0 = 0;
      for (int i = 0; i < s.steps(); i++) {
        coreSecs[i] = core.step();
        coreL0 += core.lastL0() / s.steps();
        long t0 = System.nanoTime();
        l0 += sparkStep(trainer, rdd, counts) / s.steps();
        sparkSecs[i] = (System.nanoTime() - t0) / 1e9;
        ratios[i] = coreSecs[i] / sparkSecs[i];
      }
      double[] after = dist == null ? new double[0] : dist.phaseSeconds();
      try {
        spark.sparkContext().listenerBus().waitUntilEmpty();
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("Spark's listener bus did not drain", e);
      }
      spark.sparkContext().removeSparkListener(listener);
      StringBuilder phases = new StringBuilder();
      for (int i = 0; i < after.length; i++) {
        phases.append(i == 0 ? " [per step: " : ", ").append(DistributedTrainer.PHASES.get(i)).append(' ')
            .append(String.format("%.3f s", (after[i] - before[i]) / s.steps()));
      }
      String what = "spark " + spark.sparkContext().master() + " x" + partitions + " partitions"
          + (dist == null ? " [in the driver's JVM, " + s.threads() + " threads]" : phases + "]");
      return new Comparison(result("core (interleaved with spark)", s, coreSecs, coreL0),
          result(what, s, sparkSecs, l0), StepBenchmark.median(ratios),
          Arrays.stream(ratios).min().orElse(Double.NaN), Arrays.stream(ratios).max().orElse(Double.NaN),
          s.steps(), (double) results.get() / s.steps(),
          dist == null ? 0 : (double) (dist.closureBytes() - closuresBefore) / s.steps(),
          partitions);
    } finally {
      trainer.close();
      rdd.unpersist(false);
    }
  }

  /** One step on the whole batch (every row once, in order). */
  private static double sparkStep(Trainer<StepRows> trainer, JavaRDD<RowBlock> rdd,
      long[] counts) {
    if (trainer instanceof DistributedTrainer) {
      Backend.setBlasThreads(1);   // one BLAS thread per task, as on a cluster
    }
    long rows = Arrays.stream(counts).sum();
    long[] all = new long[(int) rows];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return trainer.step(StepRows.of(rdd, counts, all)).l0();
  }

  private static BenchResult result(String what, BenchSpec s, double[] secs, double l0) {
    double median = StepBenchmark.median(secs);
    return new BenchResult(what, s, median, s.batch() / median, s.floorFlops() / median / 1e9, l0,
        Double.NaN, -1, -1);
  }
}
