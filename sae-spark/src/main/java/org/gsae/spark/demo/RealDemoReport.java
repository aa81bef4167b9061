package org.gsae.spark.demo;

import java.util.List;
import org.gsae.spark.analysis.AnalysisReport;
import org.gsae.spark.evaluate.EvaluateReport;
import org.gsae.spark.harvest.HarvestReport;
import org.gsae.spark.train.TrainingReport;

/**
 * What {@code demo --real} measured.
 *
 * @param unit       {@code sentences} or {@code passages}
 * @param texts      training texts
 * @param heldOut    held-out texts (fidelity)
 * @param harvest    the harvest
 * @param training   the training run
 * @param analysis   the analysis of the store
 * @param fidelity   the evaluation on the held-out sentences
 * @param coherence  top-token agreement of the alive features against chance
 * @param shown      features listed, chosen at random among the alive ones
 * @param reportPage the report's index.html
 * @param wallSeconds the whole demo
 */
public record RealDemoReport(String unit, int texts, int heldOut, HarvestReport harvest,
    TrainingReport training, AnalysisReport analysis, EvaluateReport fidelity,
    TokenCoherence coherence, List<Feature> shown, String reportPage, double wallSeconds) {

  /** A top example: the feature's activation on a token, and the token in its context. */
  public record Example(float activation, String token, String context) {}

  /** A feature and its top examples, strongest first. */
  public record Feature(int id, double frequency, List<Example> examples) {}

  /** The printed summary. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("gsae demo --real: a gated SAE on ").append(harvest.site())
        .append(" over English Europarl ").append(unit).append('\n');
    sb.append(String.format("  texts       %d %s -> %d tokens (%.0f tok/s harvest); %d held out%n",
        texts, unit, harvest.tokens(), harvest.tokensPerSecond(), heldOut));
    sb.append(String.format("  model       d_in=%d, d_sae=%d, %d steps, %.0f tokens/s training%n",
        training.dIn(), training.dSae(), training.stepsRun(), training.tokensPerSecond()));
    sb.append(String.format("  L0          %.2f active features per token%n", analysis.l0Mean()));
    sb.append(String.format("  FVU         %.4f on the store, %.4f on held-out %s%n",
        analysis.fvu(), fidelity.fvu(), unit));
    sb.append(String.format("  shrinkage   gamma %.4f (relative reconstruction bias; 1 = none)%n",
        analysis.shrinkage()));
    sb.append(String.format("  dead ratio  %.4f%n", analysis.deadRatio()));
    sb.append(String.format("  fidelity    %.4f of the sentence embedding kept with the SAE spliced in "
        + "(1 - cosine: SAE %.4f, zeros %.4f)%n", fidelity.result().fidelity(),
        fidelity.result().replaced(), fidelity.result().zeros()));
    sb.append(String.format("  coherence   a feature's top %d tokens are its most common token %.0f%% "
        + "of the time (random tokens: %.0f%%), over %d features%n", DemoTraining.TOP_K,
        100 * coherence.featureShare(), 100 * coherence.randomShare(), coherence.features()));
    sb.append("  features    (chosen at random among the alive; strongest examples first)\n");
    for (Feature f : shown) {
      sb.append(String.format("    #%-5d fires on %.3f%% of tokens%n", f.id(), 100 * f.frequency()));
      for (Example e : f.examples().subList(0, Math.min(3, f.examples().size()))) {
        sb.append(String.format("      %6.2f  %s%n", e.activation(), e.context()));
      }
    }
    sb.append(String.format("  outputs     %s%n", training.modelPath().replaceAll("/model$", "")));
    sb.append(String.format("  report      %s%n", reportPage));
    sb.append(String.format("  wall time   %.1f s%n", wallSeconds));
    return sb.toString();
  }
}
