package org.gsae.jobs.cli;

import org.gsae.jobs.config.BenchOptions;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae bench}: throughput of the training step. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    header = "Throughput of the training step (tokens/s, GFLOP/s).",
    description = {
        "Time the training step on random data and print tokens/s and achieved GFLOP/s",
        "(against the dense floor of 2*d_in*d_sae FLOPs per token)."})
public final class BenchCommand extends JobCommand {

  @Option(names = "--d-in", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_D_IN,
      description = "Input width (default: ${DEFAULT-VALUE}).")
  int dIn;

  @Option(names = "--d-sae", paramLabel = "M", defaultValue = "" + BenchOptions.DEFAULT_D_SAE,
      description = "Dictionary width (default: ${DEFAULT-VALUE}).")
  int dSae;

  @Option(names = "--batch-size", paramLabel = "B",
      defaultValue = "" + BenchOptions.DEFAULT_BATCH_SIZE,
      description = "Rows per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_STEPS,
      description = "Timed steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_WARMUP,
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--mode", paramLabel = "core|spark|both", defaultValue = "both",
      converter = WordConverters.BenchModeWord.class,
      description = "Which step to time: the single-JVM core step, the Spark step, or both"
          + " (default: both).")
  BenchOptions.Mode mode;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + BenchOptions.DEFAULT_SEED,
      description = "Seed of the data and initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  protected Report execute() {
    BenchOptions options = new BenchOptions(dIn, dSae, batchSize, steps, warmup, mode, seed);
    return context.runners().bench().run(options);
  }
}
