package org.gsae.spark.encode;

import java.util.Objects;
import org.gsae.spark.store.InputConfig;

/**
 * What one encode job reads and writes, already validated by the caller (the jobs layer).
 *
 * @param modelPath   the model directory (any Hadoop path)
 * @param input       the activation store; its rows must have the model's {@code d_in}
 * @param outputPath  the Parquet dataset (a directory) to write; replaced atomically
 * @param dense       write {@code feature_acts [d_sae]} instead of sparse codes
 * @param reconstruct also write {@code reconstruction [d_in]}
 * @param batchSize   rows encoded at once, >= 1, or 0 for {@code AlignedEncoder.autoBatchSize(d_sae)}:
 *                   bounds the task's {@code [batch, d_sae]} arrays
 */
public record EncodeSpec(String modelPath, InputConfig input, String outputPath, boolean dense,
    boolean reconstruct, int batchSize) {

  public EncodeSpec {
    Objects.requireNonNull(modelPath, "modelPath");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(outputPath, "outputPath");
    if (batchSize < 0) {
      throw new IllegalArgumentException("batch size must be >= 0 (0 = automatic), got "
          + batchSize);
    }
  }
}
