package org.gsae.jobs.cli;

import org.gsae.jobs.config.AnalyzeOptions;
import org.gsae.jobs.config.AnalyzeSettings;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sae analyze}: feature statistics, top examples and reconstruction metrics. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
    header = "Feature statistics, top examples and reconstruction metrics.",
    description = {
        "One pass over an activation store with a trained model. Writes",
        "features.parquet, top_examples.parquet, band_examples.parquet, summary.json",
        "and sparsity.safetensors under --output, and an HTML report into",
        "--output/report (see 'sae report --help')."})
public final class AnalyzeCommand extends JobCommand {

  @Mixin
  ModelStoreOptions store;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Directory for the results (may be the model directory).")
  String output;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + AnalyzeSettings.DEFAULT_TOP_K,
      description = "Top-activating examples kept per feature (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--batch-size", paramLabel = "B",
      defaultValue = "" + AnalyzeSettings.DEFAULT_BATCH_SIZE,
      description = "Rows encoded per block; 0 = automatic: the largest power of two up to "
          + "4096 whose [rows, d_sae] buffers stay within 64 MB (default: ${DEFAULT-VALUE}).")
  int batchSize;


  @Override
  protected Report execute() {
    AnalyzeOptions options = new AnalyzeOptions(store.model, store.input, store.column, store.onInvalid, output, topK,
        batchSize);
    return context.runners().analyze().run(options);
  }
}
