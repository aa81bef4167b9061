package org.gsae.spark.demo;

import org.gsae.spark.train.TrainingReport;

/**
 * What the demo measured.
 *
 * @param training         the training run's report
 * @param mmcs             mean max cosine similarity of the true features with the learned decoder rows
 * @param trueL0           mean true features per row
 * @param l0               mean active SAE features per row over the store
 * @param fvu              fraction of variance unexplained over the store
 * @param deadFeatureRatio fraction of SAE features that never fire over the store
 * @param wallSeconds      whole demo wall time
 * @param storePath        the synthetic store
 * @param runPath          the training output ({@code model/}, {@code metrics.parquet}, ...)
 * @param reportPage       the report's {@code index.html}
 */
public record DemoReport(TrainingReport training, double mmcs, double trueL0, double l0, double fvu,
    double deadFeatureRatio, double wallSeconds, String storePath, String runPath,
    String reportPage) {

  /** A short human-readable report. */
  public String render() {
    var last = training.last();
    StringBuilder sb = new StringBuilder();
    sb.append("gsae demo: gated SAE on a synthetic store with known ground truth\n");
    sb.append(String.format("  store        %s (%d rows, d_in=%d)%n", storePath, training.rows(), training.dIn()));
    sb.append(String.format("  model        d_sae=%d, %d steps on %d partitions%n", training.dSae(),
        training.stepsRun() + training.resumedAtStep(), training.partitions()));
    if (last != null) {
      sb.append(String.format("  final step   loss=%.5f  mse=%.5f  l1=%.5f  aux=%.5f%n", last.total(),
          last.mse(), last.l1(), last.aux()));
    }
    sb.append(String.format("  L0           %.2f active features per row (true %.2f)%n", l0, trueL0));
    sb.append(String.format("  FVU          %.4f (explained variance %.4f)%n", fvu, 1 - fvu));
    sb.append(String.format("  dead ratio   %.4f%n", deadFeatureRatio));
    sb.append(String.format("  recovery     MMCS=%.4f (mean best cosine of each true feature with a decoder row)%n", mmcs));
    sb.append(String.format("  speed        %.1f s training, %.0f tokens/s; %.1f s in all%n",
        training.wallSeconds(), training.tokensPerSecond(), wallSeconds));
    sb.append(String.format("  outputs      %s/{model,metrics.parquet,checkpoints,analysis}%n", runPath));
    sb.append(String.format("  report       %s%n", reportPage));
    return sb.toString();
  }
}
