package org.gsae.jobs.config;

import org.gsae.core.model.SaeParameters;

/**
 * The {@code bench} command, validated: times the training step on random data and reports
 * tokens/s and achieved GFLOP/s against the dense floor of 2·n·m FLOPs per token (DESIGN §8).
 *
 * @param dIn         input width n ({@code --d-in}), >= 1
 * @param dSae        dictionary width m ({@code --d-sae}), >= 1
 * @param batchSize   rows per step ({@code --batch-size}), >= 1
 * @param steps       timed steps ({@code --steps}), >= 1
 * @param warmupSteps untimed steps first ({@code --warmup}), >= 0
 * @param mode        which step to time ({@code --mode})
 * @param seed        seed of the random data and initialisation ({@code --seed})
 */
public record BenchOptions(int dIn, int dSae, int batchSize, int steps, int warmupSteps,
    Mode mode, long seed) {

  /** Which training step {@code bench} times. */
  public enum Mode {
    /** The single-JVM step of sae-core. */
    CORE,
    /** The distributed step on the current Spark master, same global batch. */
    SPARK,
    /** Both, so the report gives their ratio. */
    BOTH
  }

  public static final int DEFAULT_D_IN = 768;
  public static final int DEFAULT_D_SAE = 6144;
  public static final int DEFAULT_BATCH_SIZE = 4096;
  public static final int DEFAULT_STEPS = 10;
  public static final int DEFAULT_WARMUP = 2;
  public static final long DEFAULT_SEED = 42;

  public BenchOptions {
    OptionProblems p = new OptionProblems("bench");
    p.check(dIn >= 1, "--d-in must be >= 1, got " + dIn);
    p.check(dSae >= 1, "--d-sae must be >= 1, got " + dSae);
    p.check(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
    p.check(steps >= 1, "--steps must be >= 1, got " + steps);
    p.check(warmupSteps >= 0, "--warmup must be >= 0, got " + warmupSteps);
    p.check(mode != null, "--mode must be one of core, spark, both");
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
