package org.gsae.core.analysis;

/**
 * How sparse and how alive a model's codes are on a dataset, with the fields of gated-sae-tf's
 * {@code sparsity_report}.
 *
 * @param l0Mean        mean number of active features per row
 * @param l0Median      median of the same (NumPy semantics: average of the two middle values
 *                      for an even row count)
 * @param alive         features that fired on at least one row
 * @param dead          features that never fired ({@code nFeatures - alive})
 * @param nFeatures     m = {@code d_sae}
 * @param aliveFraction {@code alive / nFeatures}
 * @param topk          the k used for {@code topkShare}, already clamped to m
 * @param topkShare     fraction of the total activation carried by the k features with the
 *                      largest total activation (see
 *                      {@link org.gsae.core.metrics.FeatureStats#topKShare(int)})
 */
public record SparsityReport(double l0Mean, double l0Median, int alive, int dead, int nFeatures,
    double aliveFraction, int topk, double topkShare) {}
