package org.gsae.jobs.config;

import org.gsae.onnx.Site;
import org.gsae.spark.evaluate.EvaluateSpec;

/**
 * The {@code evaluate} command, validated: an SAE spliced into its transformer.
 *
 * @param modelPath  the SAE's model directory ({@code --model})
 * @param lm         built-in transformer or model directory ({@code --lm})
 * @param inputPath  texts ({@code --input})
 * @param textColumn Parquet string column of the texts, or null for text files
 * @param outputPath directory for summary.json ({@code --output}); not the model, not the input
 * @param layer      the SAE's layer ({@code --layer})
 * @param site       {@code resid} or {@code mlp} ({@code --site})
 * @param tensor     a graph tensor instead of layer and site ({@code --tensor}), or null
 * @param maxTexts   texts evaluated at most ({@code --max-texts})
 */
public record EvaluateOptions(String modelPath, String lm, String inputPath, String textColumn,
    String outputPath, int layer, String site, String tensor, int maxTexts) {
  public static final int DEFAULT_MAX_TEXTS = EvaluateSpec.DEFAULT_MAX_TEXTS;

  public EvaluateOptions {
    OptionProblems p = new OptionProblems("evaluate");
    p.requirePath(modelPath, "--model", "the SAE's model directory");
    p.requirePath(lm, "--lm", "a built-in transformer or a model directory");
    p.requirePath(inputPath, "--input", "text files or Parquet");
    p.requirePath(outputPath, "--output", "a directory for summary.json");
    p.check(textColumn == null || !textColumn.isBlank(), "--text-column must name a column");
    p.check(layer >= 0, "--layer must be >= 0, got " + layer);
    p.check(site != null && (site.equals("resid") || site.equals("mlp")),
        "--site must be resid or mlp, got " + site);
    p.check(maxTexts >= 1, "--max-texts must be >= 1, got " + maxTexts);
    p.distinct(outputPath, "--output", modelPath, "--model",
        "the summary would replace the model: choose another --output");
    p.distinct(outputPath, "--output", inputPath, "--input",
        "the summary would replace the texts: choose another --output");
    p.throwIfAny();
  }

  public EvaluateSpec spec() {
    Site s = tensor != null ? Site.tensor(tensor) : Site.of(layer, site);
    return new EvaluateSpec(modelPath, lm, s, inputPath, textColumn, maxTexts, outputPath);
  }
}
