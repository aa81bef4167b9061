package org.gsae.jobs.config;

import org.gsae.onnx.ModelFiles;
import org.gsae.onnx.Site;
import org.gsae.spark.harvest.HarvestSpec;

/**
 * The {@code harvest} command, validated: a transformer over texts into an activation store.
 *
 * @param model      built-in model name or model directory ({@code --model})
 * @param inputPath  text files, a text per line, or Parquet with {@code --text-column}
 * @param textColumn Parquet string column of the texts, or null for text files
 * @param outputPath the store to write ({@code --output}); not the input
 * @param layer      layer whose site is read ({@code --layer}), >= 0
 * @param site       {@code resid} or {@code mlp} ({@code --site})
 * @param tensor     a graph tensor to read instead of layer and site ({@code --tensor}), or null
 * @param maxTokens  stop after this many tokens ({@code --max-tokens}), 0 = all
 * @param context    tokens each side in the {@code context} column ({@code --context})
 */
public record HarvestOptions(String model, String inputPath, String textColumn, String outputPath,
    int layer, String site, String tensor, long maxTokens, int context) {
  public static final String DEFAULT_MODEL = ModelFiles.DEFAULT;
  public static final int DEFAULT_LAYER = Site.DEFAULT_LAYER;
  public static final String DEFAULT_SITE = "resid";
  public static final int DEFAULT_CONTEXT = HarvestSpec.DEFAULT_CONTEXT;

  public HarvestOptions {
    OptionProblems p = new OptionProblems("harvest");
    p.requirePath(model, "--model", "a built-in model " + ModelFiles.BUILT_IN + " or a model directory");
    p.requirePath(inputPath, "--input", "text files or Parquet");
    p.requirePath(outputPath, "--output", "the store to write");
    p.check(textColumn == null || !textColumn.isBlank(), "--text-column must name a column");
    p.check(layer >= 0, "--layer must be >= 0, got " + layer);
    p.check(site != null && (site.equals("resid") || site.equals("mlp")),
        "--site must be resid or mlp, got " + site);
    p.check(tensor == null || !tensor.isBlank(), "--tensor must name a tensor of the graph");
    p.check(maxTokens >= 0, "--max-tokens must be >= 0 (0 = all), got " + maxTokens);
    p.check(context >= 0, "--context must be >= 0, got " + context);
    p.distinct(outputPath, "--output", inputPath, "--input",
        "the store would be written over the texts: choose another --output");
    p.throwIfAny();
  }

  /** Where activations are read. */
  public Site siteSpec() {
    return tensor != null ? Site.tensor(tensor) : Site.of(layer, site);
  }

  /** The job. */
  public HarvestSpec spec() {
    return new HarvestSpec(model, siteSpec(), inputPath, textColumn, outputPath, maxTokens, context);
  }
}
