package org.gsae.jobs.cli;

import org.gsae.jobs.config.HarvestOptions;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sae harvest}: a transformer's activations over texts, as an activation store. */
@Command(name = "harvest", mixinStandardHelpOptions = true,
    header = "Run a transformer over texts and store its per-token activations.",
    description = {
        "Runs an ONNX transformer (ONNX Runtime, on the executors) over texts and",
        "writes an activation store: doc_id, position, token, context (the token",
        "between [[ and ]]), activation array<float>, plus the input's other columns.",
        "Built-in models, no network: minilm-l6 (all-MiniLM-L6-v2, int8) and",
        "minilm-l6-fp32; or a directory with one .onnx model (a Hugging Face Optimum",
        "export) and its tokenizer.json. Special tokens are not stored. The same",
        "input gives the same rows in the same order; the output is atomic."})
public final class HarvestCommand extends JobCommand {

  @Option(names = "--model", paramLabel = "DIR|NAME", defaultValue = HarvestOptions.DEFAULT_MODEL,
      description = "Built-in model (minilm-l6, minilm-l6-fp32) or a model directory "
          + "(default: ${DEFAULT-VALUE}).")
  String model;

  @Mixin
  TextInputOptions texts;

  @Option(names = "--output", required = true, paramLabel = "PATH",
      description = "The activation store to write.")
  String output;

  @Mixin
  SiteOptions at;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "0",
      description = "Store only the first N tokens, in document order (default: all).")
  long maxTokens;

  @Option(names = "--context", paramLabel = "K", defaultValue = "" + HarvestOptions.DEFAULT_CONTEXT,
      description = "Tokens each side of a token in its context column (default: ${DEFAULT-VALUE}).")
  int contextTokens;

  @Override
  protected Report execute() {
    HarvestOptions options = new HarvestOptions(model, texts.input, texts.textColumn, output,
        at.layer, at.site, at.tensor, maxTokens, contextTokens);
    return context.runners().harvest().run(options);
  }
}
