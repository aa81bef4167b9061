package org.gsae.jobs.config;

import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;

/**
 * The {@code analyze} command, validated: one pass over the store with a trained model,
 * writing {@code features.parquet}, {@code top_examples.parquet}, {@code band_examples.parquet},
 * {@code summary.json}, {@code sparsity.safetensors} and {@code report/} under
 * {@code outputPath} (docs/architecture.md §5, §7, §10).
 *
 * @param modelPath  model directory ({@code --model})
 * @param inputPath  activation store: Parquet file, directory or glob ({@code --input})
 * @param column     activation column ({@code --column})
 * @param onInvalid  what to do with invalid rows ({@code --on-invalid})
 * @param outputPath directory for the results ({@code --output}); may be the model directory,
 *                   which then carries {@code sparsity.safetensors} as SAELens expects
 * @param topK       top-activating examples kept per feature ({@code --top-k}), >= 1
 * @param batchSize  rows encoded per block ({@code --batch-size}), >= 1, or 0 = automatic
 */
public record AnalyzeOptions(String modelPath, String inputPath, String column,
    OnInvalid onInvalid, String outputPath, int topK, int batchSize) {

  public AnalyzeOptions {
    OptionProblems p = new OptionProblems("analyze");
    p.requirePath(modelPath, "--model", "a model directory");
    p.requirePath(inputPath, "--input", "a Parquet file, directory or glob");
    p.requirePath(column, "--column", "the activation column");
    p.requirePath(outputPath, "--output", "a directory for the results");
    p.check(onInvalid != null, "--on-invalid must be one of fail, skip");
    p.check(topK >= 1, "--top-k must be >= 1, got " + topK);
    p.check(batchSize >= 0, "--batch-size must be >= 0 (0 = automatic), got " + batchSize);
    p.distinct(outputPath, "--output", inputPath, "--input",
        "the results would be written into the activation store: choose another --output");
    p.throwIfAny();
  }

  /** The store to read, as the readers take it. */
  public InputConfig input() {
    return new InputConfig(inputPath, column, onInvalid, InputConfig.DEFAULT_STORAGE_LEVEL);
  }
}
