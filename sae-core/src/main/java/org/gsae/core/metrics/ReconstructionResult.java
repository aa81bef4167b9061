package org.gsae.core.metrics;

/**
 * Reconstruction quality over a whole data set; see {@link ReconstructionMetrics} for the exact
 * definitions and the NaN cases.
 *
 * @param rows                       N
 * @param mse                        {@code sum ||x - x_hat||^2 / N}
 * @param msePerElement              {@code sum ||x - x_hat||^2 / (N d_in)}
 * @param fvu                        {@code sum ||x - x_hat||^2 / sum ||x - mean(x)||^2}
 * @param explainedVariance          {@code 1 - fvu}
 * @param relativeReconstructionBias gamma = {@code E||x_hat||^2 / E[x . x_hat]}
 * @param meanCosineSimilarity       mean {@code cos(x, x_hat)} over rows with both non-zero
 * @param cosineSkippedRows          rows left out of that mean
 */
public record ReconstructionResult(long rows, double mse, double msePerElement, double fvu,
    double explainedVariance, double relativeReconstructionBias, double meanCosineSimilarity,
    long cosineSkippedRows) {}
