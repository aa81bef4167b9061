package org.gsae.spark.analysis;

/**
 * What an analysis pass found and wrote.
 *
 * @param rows              valid rows analysed
 * @param skippedRows       invalid rows dropped ({@code input.on_invalid=skip})
 * @param dIn               input width
 * @param dSae              number of features
 * @param partitions        partitions of the pass
 * @param l0Mean            mean active features per row
 * @param l0Median          median of the same
 * @param deadFeatures      features that never fired
 * @param mse               {@code sum ||x - x_hat||^2 / rows}
 * @param fvu               fraction of variance unexplained (global sums)
 * @param shrinkage         relative reconstruction bias gamma (1: no shrinkage)
 * @param rankedRows        rows of {@code top_examples.parquet}
 * @param outputPath        the directory written
 * @param wallSeconds       wall time of the whole run
 * @param frequencies       firing frequency of each feature [d_sae] (what
 *                          {@code sparsity.safetensors} holds as log10(f + 1e-10))
 * @param intoModel         whether the output is the model directory
 */
public record AnalysisReport(long rows, long skippedRows, int dIn, int dSae, int partitions,
    double l0Mean, double l0Median, int deadFeatures, double mse, double fvu, double shrinkage,
    long rankedRows,
    String outputPath, double wallSeconds, double[] frequencies, boolean intoModel) {

  public AnalysisReport {
    frequencies = frequencies.clone();
  }

  /** Firing frequency of each feature [d_sae] (a copy). */
  @Override
  public double[] frequencies() {
    return frequencies.clone();
  }

  /** {@code deadFeatures / d_sae}. */
  public double deadRatio() {
    return (double) deadFeatures / dSae;
  }

  /** {@code 1 - fvu}. */
  public double explainedVariance() {
    return 1 - fvu;
  }
}
