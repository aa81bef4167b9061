package org.gsae.jobs.cli;

import org.gsae.jobs.config.EncodeOptions;
import org.gsae.jobs.run.Report;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae encode}: feature codes for every row of a store. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    header = "Encode a store into sparse (or dense) feature codes.",
    description = {
        "Encode an activation store with a trained model. Writes Parquet with sparse codes",
        "(feature_indices array<int>, feature_values array<float>) or, with --dense,",
        "feature_acts array<float>; every other input column is carried through."})
public final class EncodeCommand extends JobCommand {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Activation store: a Parquet file, directory or glob.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "PATH",
      description = "Parquet output path.")
  String output;

  @Option(names = "--dense", description = "Write dense feature_acts instead of sparse codes.")
  boolean dense;

  @Option(names = "--reconstruct", description = "Also write reconstruction array<float>.")
  boolean reconstruct;

  @Option(names = "--column", paramLabel = "NAME", defaultValue = InputConfig.DEFAULT_COLUMN,
      description = "Activation column (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(names = "--on-invalid", paramLabel = "fail|skip", defaultValue = "fail",
      converter = WordConverters.OnInvalidWord.class,
      description = "Invalid rows (null, NaN, wrong length): fail or skip and count"
          + " (default: fail).")
  OnInvalid onInvalid;

  @Option(names = "--batch-size", paramLabel = "B",
      defaultValue = "" + EncodeOptions.DEFAULT_BATCH_SIZE,
      description = "Rows encoded per block (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  protected Report execute() {
    EncodeOptions options = new EncodeOptions(model, input, column, onInvalid, output, dense,
        reconstruct, batchSize);
    return context.runners().encode().run(options);
  }
}
