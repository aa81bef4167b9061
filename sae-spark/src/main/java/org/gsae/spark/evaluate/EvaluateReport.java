package org.gsae.spark.evaluate;

/**
 * The fidelity of an SAE spliced into its transformer (see
 * {@link org.gsae.onnx.EmbeddingFidelity}).
 *
 * @param site           the transformer and site
 * @param texts          texts evaluated
 * @param tokens         tokens whose activations were replaced
 * @param fvu            fraction of the site's variance the SAE leaves unexplained on these tokens
 * @param saeDistance    mean 1 - cosine(clean embedding, embedding with the SAE's reconstruction)
 * @param zeroDistance   mean 1 - cosine(clean embedding, embedding with the site zeroed)
 * @param fidelity       1 - saeDistance / zeroDistance
 * @param spliceDistance mean 1 - cosine(unspliced model, spliced graph fed its own activations)
 * @param summaryPath    the summary.json written
 * @param wallSeconds    wall time
 */
public record EvaluateReport(String site, int texts, long tokens, double fvu, double saeDistance,
    double zeroDistance, double fidelity, double spliceDistance, String summaryPath,
    double wallSeconds) {}
