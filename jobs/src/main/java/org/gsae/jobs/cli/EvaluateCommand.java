package org.gsae.jobs.cli;

import org.gsae.jobs.config.EvaluateOptions;
import org.gsae.jobs.config.HarvestOptions;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sae evaluate}: downstream fidelity of an SAE spliced into its transformer. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    header = "Splice an SAE into its transformer and measure what the output keeps.",
    description = {
        "Runs texts through the transformer with the site's activations (clean), with",
        "the SAE's reconstruction of every text token, and with zeros. A causal LM",
        "(first output 'logits') is compared by next-token cross-entropy: fidelity =",
        "(CE zeros - CE SAE) / (CE zeros - CE clean), the paper's loss recovered. An",
        "embedding model by its sentence embedding (mean-pooled last hidden state): d",
        "= mean(1 - cosine to clean), fidelity = 1 - d(SAE) / d(zeros). 1: nothing",
        "lost; 0: as bad as erasing the site. Writes summary.json."})
public final class EvaluateCommand extends JobCommand {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "The SAE's model directory.")
  String model;

  @Option(names = "--lm", paramLabel = "DIR|NAME", defaultValue = HarvestOptions.DEFAULT_MODEL,
      description = "The transformer the SAE was trained on: minilm-l6, minilm-l6-fp32 or a "
          + "model directory (default: ${DEFAULT-VALUE}).")
  String lm;

  @Mixin
  TextInputOptions texts;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Directory that receives summary.json.")
  String output;

  @Mixin
  SiteOptions at;

  @Option(names = "--max-texts", paramLabel = "N", defaultValue = "" + EvaluateOptions.DEFAULT_MAX_TEXTS,
      description = "Evaluate the first N texts (default: ${DEFAULT-VALUE}).")
  int maxTexts;

  @Override
  protected Report execute() {
    EvaluateOptions options = new EvaluateOptions(model, lm, texts.input, texts.textColumn,
        output, at.layer, at.site, at.tensor, maxTexts);
    return context.runners().evaluate().run(options);
  }
}
