package org.gsae.jobs.cli;

import org.gsae.jobs.config.AnalyzeOptions;
import org.gsae.jobs.config.AnalyzeSettings;
import org.gsae.jobs.run.Report;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae analyze}: feature statistics, top examples and reconstruction metrics. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
    header = "Feature statistics, top examples and reconstruction metrics.",
    description = {
        "One pass over an activation store with a trained model. Writes features.parquet,",
        "top_examples.parquet, summary.json and sparsity.safetensors under --output."})
public final class AnalyzeCommand extends JobCommand {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Activation store: a Parquet file, directory or glob.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Directory for the results (may be the model directory).")
  String output;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + AnalyzeSettings.DEFAULT_TOP_K,
      description = "Top-activating examples kept per feature (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--batch-size", paramLabel = "B",
      defaultValue = "" + AnalyzeSettings.DEFAULT_BATCH_SIZE,
      description = "Rows encoded per block (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--column", paramLabel = "NAME", defaultValue = InputConfig.DEFAULT_COLUMN,
      description = "Activation column (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(names = "--on-invalid", paramLabel = "fail|skip", defaultValue = "fail",
      converter = WordConverters.OnInvalidWord.class,
      description = "Invalid rows (null, NaN, wrong length): fail or skip and count"
          + " (default: fail).")
  OnInvalid onInvalid;

  @Override
  protected Report execute() {
    AnalyzeOptions options = new AnalyzeOptions(model, input, column, onInvalid, output, topK,
        batchSize);
    return context.runners().analyze().run(options);
  }
}
