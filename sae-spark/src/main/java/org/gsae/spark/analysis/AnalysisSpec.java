package org.gsae.spark.analysis;

import java.util.Objects;
import org.gsae.spark.store.InputConfig;

/**
 * What one analysis pass reads and writes, already validated by the caller (the jobs layer).
 *
 * @param modelPath  the model directory (any Hadoop path)
 * @param input      the activation store; its rows must have the model's {@code d_in}
 * @param outputPath the directory to write ({@code features.parquet}, {@code top_examples.parquet},
 *                   {@code summary.json}, {@code sparsity.safetensors}); replaced atomically.
 *                   May be the model directory, whose model files are then kept
 * @param topK       top-activating rows kept per feature, >= 1
 * @param batchSize  rows encoded at once, >= 1, or 0 for {@code AlignedEncoder.autoBatchSize(d_sae)}:
 *                   bounds the task's {@code [batch, d_sae]} arrays
 * @param partitions partitions of the packed store, 0 = keep the file scan's
 */
public record AnalysisSpec(String modelPath, InputConfig input, String outputPath, int topK,
    int batchSize, int partitions) {

  public AnalysisSpec {
    Objects.requireNonNull(modelPath, "modelPath");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(outputPath, "outputPath");
    if (topK < 1) {
      throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
    }
    if (batchSize < 0) {
      throw new IllegalArgumentException("batch size must be >= 0 (0 = automatic), got "
          + batchSize);
    }
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0 (0 = keep), got " + partitions);
    }
  }
}
