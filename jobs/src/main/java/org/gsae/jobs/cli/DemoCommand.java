package org.gsae.jobs.cli;

import org.gsae.jobs.config.DemoOptions;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae demo}: the embedded end-to-end run on synthetic data. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "Train and analyse on synthetic data with known features.",
    description = {
        "Build a synthetic store from known ground-truth features, train on it, analyse,",
        "and report how many of the true features the dictionary recovered."})
public final class DemoCommand extends JobCommand {

  @Option(names = "--output", paramLabel = "DIR",
      description = "Where to write the store, model and analysis (default: a new temporary"
          + " directory).")
  String output;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "" + DemoOptions.DEFAULT_ROWS,
      description = "Rows in the synthetic store (default: ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--d-in", paramLabel = "N", defaultValue = "" + DemoOptions.DEFAULT_D_IN,
      description = "Input width (default: ${DEFAULT-VALUE}).")
  int dIn;

  @Option(names = "--features", paramLabel = "N",
      defaultValue = "" + DemoOptions.DEFAULT_FEATURES,
      description = "Ground-truth features (default: ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--d-sae", paramLabel = "M", defaultValue = "" + DemoOptions.DEFAULT_D_SAE,
      description = "Dictionary width (default: ${DEFAULT-VALUE}).")
  int dSae;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "" + DemoOptions.DEFAULT_STEPS,
      description = "Training steps (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--batch-size", paramLabel = "B",
      defaultValue = "" + DemoOptions.DEFAULT_BATCH_SIZE,
      description = "Global rows per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DemoOptions.DEFAULT_SEED,
      description = "Seed of the data and of training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  protected Report execute() {
    DemoOptions options = new DemoOptions(output, rows, dIn, features, dSae, steps, batchSize,
        seed);
    return context.runners().demo().run(options);
  }
}
