package org.gsae.jobs.config;

import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;

/**
 * The {@code encode} command, validated: Parquet in, Parquet out with the feature codes and
 * every metadata column carried through (docs/architecture.md §5).
 *
 * @param modelPath   model directory ({@code --model})
 * @param inputPath   activation store: Parquet file, directory or glob ({@code --input})
 * @param column      activation column ({@code --column})
 * @param onInvalid   what to do with invalid rows ({@code --on-invalid})
 * @param outputPath  Parquet output ({@code --output}); not the input, not the model
 * @param dense       write {@code feature_acts array<float>} [d_sae] instead of the sparse
 *                    {@code feature_indices array<int>} + {@code feature_values array<float>}
 * @param reconstruct also write {@code reconstruction array<float>} [d_in]
 * @param batchSize   rows encoded per block ({@code --batch-size}), >= 1, or 0 = automatic
 */
public record EncodeOptions(String modelPath, String inputPath, String column,
    OnInvalid onInvalid, String outputPath, boolean dense, boolean reconstruct, int batchSize) {

  /** 0: automatic, {@code AlignedEncoder.autoBatchSize(d_sae)}. */
  public static final int DEFAULT_BATCH_SIZE = 0;

  public EncodeOptions {
    OptionProblems p = new OptionProblems("encode");
    p.requirePath(modelPath, "--model", "a model directory");
    p.requirePath(inputPath, "--input", "a Parquet file, directory or glob");
    p.requirePath(column, "--column", "the activation column");
    p.requirePath(outputPath, "--output", "the Parquet output path");
    p.check(onInvalid != null, "--on-invalid must be one of fail, skip");
    p.check(batchSize >= 0, "--batch-size must be >= 0 (0 = automatic), got " + batchSize);
    p.distinct(outputPath, "--output", inputPath, "--input",
        "the codes would be written over the activation store: choose another --output");
    p.distinct(outputPath, "--output", modelPath, "--model",
        "the codes would be written over the model: choose another --output");
    p.throwIfAny();
  }

  /** The store to read, as the readers take it. */
  public InputConfig input() {
    return new InputConfig(inputPath, column, onInvalid, InputConfig.DEFAULT_STORAGE_LEVEL);
  }
}
