package org.gsae.spark.evaluate;

import java.util.Objects;
import org.gsae.core.error.Errors;
import org.gsae.onnx.Site;

/**
 * One evaluation.
 *
 * @param modelPath  the SAE's model directory
 * @param lm         the transformer: a built-in name or a model directory
 * @param site       the site the SAE was trained on
 * @param inputPath  texts: text files, or Parquet with {@code textColumn}
 * @param textColumn the Parquet string column of the texts, or null for text files
 * @param maxTexts   texts evaluated at most (the first ones, in input order)
 * @param outputPath directory that receives {@code summary.json} (atomically)
 */
public record EvaluateSpec(String modelPath, String lm, Site site, String inputPath,
    String textColumn, int maxTexts, String outputPath) {
  /** Texts evaluated by default. */
  public static final int DEFAULT_MAX_TEXTS = 2000;

  public EvaluateSpec {
    Objects.requireNonNull(modelPath, "modelPath");
    Objects.requireNonNull(lm, "lm");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(inputPath, "inputPath");
    Objects.requireNonNull(outputPath, "outputPath");
    Errors.check(maxTexts >= 1, "max texts must be >= 1, got %d", maxTexts);
  }
}
