package org.gsae.jobs.cli;

import org.gsae.core.error.Errors;
import org.gsae.jobs.config.DemoOptions;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae demo}: the embedded end-to-end run on synthetic data, or on a real transformer. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "Train and analyse on synthetic data with known features, or on a real model.",
    description = {
        "Build a synthetic store from known ground-truth features, train on it,",
        "analyse, and report how many of the true features the dictionary recovered.",
        "With --real: harvest MiniLM-L6's layer 3 residual stream over English",
        "Europarl sentences (both built in, no network), train a 384 -> 3072 SAE,",
        "analyse, report, and measure the fidelity on held-out sentences; prints",
        "features with their top tokens."})
public final class DemoCommand extends JobCommand {

  @Option(names = "--output", paramLabel = "DIR",
      description = "Where to write the store, model and analysis (default: a new temporary"
          + " directory).")
  String output;

  @Option(names = "--real", description = "The real demo: MiniLM-L6 over Europarl sentences.")
  boolean real;

  @Option(names = "--passages", description = "With --real: whole passages (1266, about 250k "
      + "tokens) instead of sentences (6767, about 181k tokens); 100 held out instead of 500.")
  boolean passages;

  @Option(names = "--texts", paramLabel = "N",
      description = "With --real: training texts (default: " + DemoOptions.REAL_SENTENCES
          + " sentences, or all passages but the held-out ones).")
  Integer texts;

  @Option(names = "--rows", paramLabel = "N",
      description = "Rows in the synthetic store (default: " + DemoOptions.DEFAULT_ROWS + ").")
  Integer rows;

  @Option(names = "--d-in", paramLabel = "N",
      description = "Input width of the synthetic store (default: " + DemoOptions.DEFAULT_D_IN + ").")
  Integer dIn;

  @Option(names = "--features", paramLabel = "N",
      description = "Ground-truth features (default: " + DemoOptions.DEFAULT_FEATURES + ").")
  Integer features;

  @Option(names = "--d-sae", paramLabel = "M",
      description = "Dictionary width (default: " + DemoOptions.DEFAULT_D_SAE + "; "
          + DemoOptions.REAL_D_SAE + " with --real).")
  Integer dSae;

  @Option(names = "--steps", paramLabel = "N",
      description = "Training steps (default: " + DemoOptions.DEFAULT_STEPS + "; "
          + DemoOptions.REAL_STEPS + " with --real).")
  Long steps;

  @Option(names = "--batch-size", paramLabel = "B",
      description = "Global rows per step (default: " + DemoOptions.DEFAULT_BATCH_SIZE
          + (DemoOptions.REAL_BATCH_SIZE == DemoOptions.DEFAULT_BATCH_SIZE ? ""
              : "; " + DemoOptions.REAL_BATCH_SIZE + " with --real") + ").")
  Integer batchSize;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DemoOptions.DEFAULT_SEED,
      description = "Seed of the data and of training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  protected Report execute() {
    if (real && (rows != null || dIn != null || features != null)) {
      throw Errors.usage("--rows, --d-in and --features describe the synthetic store; the real "
          + "demo's store is MiniLM-L6's activations", "sae demo --real", "drop those options");
    }
    if (!real && texts != null) {
      throw Errors.usage("--texts applies to the real demo", "sae demo", "add --real");
    }
    DemoOptions options = new DemoOptions(output, or(rows, DemoOptions.DEFAULT_ROWS),
        or(dIn, DemoOptions.DEFAULT_D_IN), or(features, DemoOptions.DEFAULT_FEATURES),
        or(dSae, real ? DemoOptions.REAL_D_SAE : DemoOptions.DEFAULT_D_SAE),
        steps != null ? steps : real ? DemoOptions.REAL_STEPS : DemoOptions.DEFAULT_STEPS,
        or(batchSize, real ? DemoOptions.REAL_BATCH_SIZE : DemoOptions.DEFAULT_BATCH_SIZE),
        seed, real, passages, or(texts, 0));
    return context.runners().demo().run(options);
  }

  private static int or(Integer value, int otherwise) {
    return value != null ? value : otherwise;
  }
}
