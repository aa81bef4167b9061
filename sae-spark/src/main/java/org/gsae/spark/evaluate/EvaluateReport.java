package org.gsae.spark.evaluate;

import org.gsae.onnx.SpliceFidelity;

/**
 * The fidelity of an SAE spliced into its transformer (see {@link SpliceFidelity}).
 *
 * @param site        the transformer and site
 * @param result      the clean, SAE and zeros measures and the fidelity
 * @param fvu         fraction of the site's variance the SAE leaves unexplained on these tokens
 * @param summaryPath the summary.json written
 * @param wallSeconds wall time
 */
public record EvaluateReport(String site, SpliceFidelity.Result result, double fvu,
    String summaryPath, double wallSeconds) {}
