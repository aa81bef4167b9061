package org.gsae.jobs.cli;

import org.gsae.jobs.config.ShuffleOptions;
import org.gsae.jobs.run.Report;
import org.gsae.spark.store.InputConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae shuffle}: a globally shuffled copy of a store. */
@Command(name = "shuffle", mixinStandardHelpOptions = true,
    header = "Write a globally shuffled copy of an activation store.",
    description = {
        "For stores written in document or token order: writes every row, with all its columns,",
        "into --files Parquet files in a seeded random order (the same store and seed give the",
        "same output). Atomic: a failed run leaves no output and an earlier shuffle unchanged."})
public final class ShuffleCommand extends JobCommand {

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Activation store: a Parquet file, directory or glob.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Output directory (a Parquet dataset).")
  String output;

  @Option(names = "--column", paramLabel = "NAME", defaultValue = InputConfig.DEFAULT_COLUMN,
      description = "Activation column (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(names = "--files", paramLabel = "N", defaultValue = "" + ShuffleOptions.DEFAULT_FILES,
      description = "Part files to write (default: ${DEFAULT-VALUE}).")
  int files;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + ShuffleOptions.DEFAULT_SEED,
      description = "Seed of the order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  protected Report execute() {
    return context.runners().shuffle().run(new ShuffleOptions(input, column, output, files, seed));
  }
}
