package org.gsae.jobs.config;

import org.gsae.core.loss.GatedLoss;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.SaeTrainer;

/**
 * The {@code bench} command, validated: times full training steps and reports tokens/s,
 * GFLOP/s against the dense floor of 2·B·n·m FLOPs per step (docs/architecture.md §8), the measured
 * L0, the machine's SGEMM floor on the same shape, and peak memory.
 *
 * @param dIn         input width n ({@code --d-in}), >= 1
 * @param dSae        dictionary width m ({@code --d-sae}), >= 1
 * @param batchSize   global rows per step ({@code --batch}), >= 1
 * @param threads     worker threads of the core step, one BLAS thread each ({@code --threads}), >=
 * 1
 * @param targetL0    b_gate calibrated for this mean L0; 0 = all gates open ({@code --target-l0}),
 * >= 0
 * @param steps       timed steps, median reported ({@code --steps}), >= 1
 * @param warmupSteps untimed steps first ({@code --warmup}), >= 0
 * @param chunkRows   rows evaluated at once ({@code --chunk-rows}), >= 1
 * @param denseAbove  open-gate fraction above which a chunk runs dense ({@code --dense-above}), in
 * [0, 1], or {@link GatedLoss#AUTO}
 * @param sparkMaster also time the distributed step on this master, e.g. {@code local[2]}
 *                    ({@code --spark}), or null for the core step only
 * @param partitions  partitions of the Spark step ({@code --partitions}), >= 0; 0 = as {@code train}
 *                    chooses
 * @param json        print one JSON object per result instead of text ({@code --json})
 * @param seed        seed of the data and initialisation ({@code --seed})
 * @param ingestRows  {@code --ingest}: when > 0, time the store reader instead of the training
 *                    step: pack a store of that many rows of width {@code dIn} per activation
 *                    type, on {@code --spark} (default local[threads]), and print MB/s per core
 */
public record BenchOptions(int dIn, int dSae, int batchSize, int threads, int targetL0, int steps,
    int warmupSteps, int chunkRows, double denseAbove, String sparkMaster, int partitions,
    boolean json, long seed, int ingestRows) {

  public static final int DEFAULT_D_IN = 768;
  public static final int DEFAULT_D_SAE = 6144;
  public static final int DEFAULT_BATCH_SIZE = 4096;
  public static final int DEFAULT_THREADS = 2;
  public static final int DEFAULT_TARGET_L0 = 64;
  public static final int DEFAULT_STEPS = 5;
  public static final int DEFAULT_WARMUP = 2;
  /** The training job's chunk, so the benchmark times the step that {@code train} runs. */
  public static final int DEFAULT_CHUNK_ROWS = SaeTrainer.DEFAULT_CHUNK_ROWS;
  public static final int DEFAULT_PARTITIONS = 0;
  public static final long DEFAULT_SEED = 42;

  public BenchOptions {
    OptionProblems p = new OptionProblems("bench");
    p.check(dIn >= 1, "--d-in must be >= 1, got " + dIn);
    p.check(dSae >= 1, "--d-sae must be >= 1, got " + dSae);
    p.check(batchSize >= 1, "--batch must be >= 1, got " + batchSize);
    p.check(threads >= 1, "--threads must be >= 1, got " + threads);
    p.check(targetL0 >= 0, "--target-l0 must be >= 0 (0 = all gates open), got " + targetL0);
    p.check(steps >= 1, "--steps must be >= 1, got " + steps);
    p.check(warmupSteps >= 0, "--warmup must be >= 0, got " + warmupSteps);
    p.check(chunkRows >= 1, "--chunk-rows must be >= 1, got " + chunkRows);
    p.check(denseAbove >= 0 && denseAbove <= 1 || denseAbove == GatedLoss.AUTO,
        "--dense-above must be in [0, 1] or -1 (automatic), got " + denseAbove);
    p.check(partitions >= 0, "--partitions must be >= 0, got " + partitions);
    p.check(ingestRows >= 0,
        "--ingest must be >= 0 rows (0 = time the training step), got " + ingestRows);
    p.check(sparkMaster == null || !sparkMaster.isBlank(), "--spark must name a master such as local[2]");
    p.check(dIn < 1 || dSae < 1
            || SaeParameters.parameterCount(dIn, dSae) <= ModelConfig.MAX_PARAMETERS,
        "--d-in " + dIn + " with --d-sae " + dSae + " gives more parameters than one Java array holds");
    p.throwIfAny();
  }

  /** Dense-floor FLOPs of one step: one encoder GEMM, 2·n·m per row. */
  public double denseFloorFlopsPerStep() {
    return 2.0 * dIn * dSae * batchSize;
  }
}
