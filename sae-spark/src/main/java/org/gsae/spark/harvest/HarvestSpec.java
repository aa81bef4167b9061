package org.gsae.spark.harvest;

import java.util.Objects;
import org.gsae.core.error.Errors;
import org.gsae.onnx.Site;

/**
 * One harvest, validated.
 *
 * @param model      a built-in model name ({@code minilm-l6}) or a model directory
 * @param site       where activations are read
 * @param inputPath  text files (a text per line) or, with {@code textColumn}, Parquet
 * @param textColumn the Parquet string column holding the texts; null for text files
 * @param outputPath the store to write (atomically)
 * @param maxTokens  stop after this many tokens, in document order; 0 = all
 * @param context    tokens each side of a token in its {@code context} column
 */
public record HarvestSpec(String model, Site site, String inputPath, String textColumn,
    String outputPath, long maxTokens, int context) {
  /** Tokens each side of a token in {@code context}, by default. */
  public static final int DEFAULT_CONTEXT = 8;

  public HarvestSpec {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(inputPath, "inputPath");
    Objects.requireNonNull(outputPath, "outputPath");
    Errors.check(maxTokens >= 0, "max tokens must be >= 0 (0 = all), got %d", maxTokens);
    Errors.check(context >= 0, "context must be >= 0, got %d", context);
  }
}
