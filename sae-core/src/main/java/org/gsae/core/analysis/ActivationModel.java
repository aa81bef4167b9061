package org.gsae.core.analysis;

import java.util.List;

/**
 * A model that turns texts into per-token activations at one site (a layer's residual stream,
 * an MLP's hidden activation): the model side of {@link SaeFeatureAnalyzer#topActivatingExamples(
 * int, List, int)}, and of harvesting activations into a store. Implementations load their model
 * once and may be called many times; they are not required to be thread-safe.
 */
public interface ActivationModel extends AutoCloseable {
  /** Values per token at the site ({@code d_in} of an SAE trained there). */
  int width();

  /** What the site is, for messages and provenance (for example {@code minilm-l6 layer 3 resid}). */
  String site();

  /**
   * The site's activations for every token of every text, in the order of {@code texts}.
   * Special tokens the model adds (such as {@code [CLS]}) are not returned.
   *
   * @param texts the texts, each run as one sequence (truncated to the model's maximum length)
   */
  List<TokenActivations> activations(List<String> texts);

  @Override
  void close();
}
