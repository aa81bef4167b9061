package org.gsae.core.metrics;

import java.io.Serializable;

/**
 * Everything one analysis pass aggregates (docs/architecture.md §7), fed from the same blocks:
 * per-feature statistics, the L0 histogram, per-feature top-k rows, per-feature activation
 * histograms and samples from each activation band, and reconstruction metrics. This
 * is the per-partition value of the distributed {@code analyze} pass and of
 * {@link org.gsae.core.analysis.SaeFeatureAnalyzer#analyze}; call order as for its parts:
 * construct, {@link #add} blocks, {@link #merge} partial aggregates, read the parts.
 */
public final class AnalysisMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FeatureStats featureStats;
  private final L0Histogram l0Histogram;
  private final TopKExamples topKExamples;
  private final ReconstructionMetrics reconstruction;
  private final ActivationHistograms histograms;
  private final BandSamples bandSamples;

  /**
   * Empty aggregates.
   *
   * @param dIn  n, width of the input rows
   * @param dSae m, number of features
   * @param topK rows kept per feature
   */
  public AnalysisMetrics(int dIn, int dSae, int topK) {
    this(dIn, dSae, topK, BandSamples.DEFAULT_K);
  }

  /**
   * Empty aggregates.
   *
   * @param dIn   n, width of the input rows
   * @param dSae  m, number of features
   * @param topK  rows kept per feature
   * @param bandK rows sampled per feature and activation band ({@link BandSamples})
   */
  public AnalysisMetrics(int dIn, int dSae, int topK, int bandK) {
    this.featureStats = new FeatureStats(dSae);
    this.l0Histogram = new L0Histogram(dSae);
    this.topKExamples = new TopKExamples(dSae, topK);
    this.reconstruction = new ReconstructionMetrics(dIn);
    this.histograms = new ActivationHistograms(dSae);
    this.bandSamples = new BandSamples(dSae, bandK);
  }

  /**
   * Adds one block to every part.
   *
   * @param x           inputs [rows, n] row-major
   * @param featureActs feature activations [rows, m] row-major
   * @param xHat        reconstructions [rows, n] row-major
   * @param rowIds      unique row ids [rows]
   * @param rows        number of rows in the block
   * @return this
   */
  public AnalysisMetrics add(float[] x, float[] featureActs, float[] xHat, long[] rowIds, int rows) {
    // Validate every array first, so a bad block leaves all parts unchanged.
    int dIn = reconstruction.dIn();
    int dSae = featureStats.dSae();
    Checks.block("AnalysisMetrics", "x", x.length, rows, dIn, "d_in");
    Checks.block("AnalysisMetrics", "featureActs", featureActs.length, rows, dSae, "d_sae");
    Checks.block("AnalysisMetrics", "xHat", xHat.length, rows, dIn, "d_in");
    Checks.block("AnalysisMetrics", "rowIds", rowIds.length, rows, 1, "width");
    featureStats.add(featureActs, rows);
    l0Histogram.add(featureActs, rows);
    topKExamples.add(featureActs, rowIds, rows);
    addBinned(featureActs, rowIds, rows);
    reconstruction.add(x, xHat, rows);
    return this;
  }

  /**
   * The histograms and the band samples in one scan of the block, each active entry's bin
   * found once (its band is the bin's), the same as calling both parts' {@code add}.
   */
  private void addBinned(float[] featureActs, long[] rowIds, int rows) {
    int dSae = histograms.dSae();
    for (int r = 0; r < rows; r++) {
      int off = r * dSae;
      for (int j = 0; j < dSae; j++) {
        float a = featureActs[off + j];
        if (a > 0) {
          int bin = ActivationHistograms.bin(a);
          histograms.count(j, bin);
          bandSamples.offer(j, bin / BandSamples.BINS_PER_BAND, rowIds[r], a);
        }
      }
    }
  }

  /**
   * Merges another partial aggregate into this one, part by part (dimensions checked by each).
   *
   * @return this
   */
  public AnalysisMetrics merge(AnalysisMetrics other) {
    // Check every dimension before changing anything, so a failed merge leaves this intact.
    Checks.sameDim("AnalysisMetrics", "d_sae", featureStats.dSae(), other.featureStats.dSae());
    Checks.sameDim("AnalysisMetrics", "k", topKExamples.k(), other.topKExamples.k());
    Checks.sameDim("AnalysisMetrics", "d_in", reconstruction.dIn(), other.reconstruction.dIn());
    Checks.sameDim("AnalysisMetrics", "band k", bandSamples.k(), other.bandSamples.k());
    featureStats.merge(other.featureStats);
    l0Histogram.merge(other.l0Histogram);
    topKExamples.merge(other.topKExamples);
    histograms.merge(other.histograms);
    bandSamples.merge(other.bandSamples);
    reconstruction.merge(other.reconstruction);
    return this;
  }

  /** Per-feature fire counts, sums, maxima (live view, not a copy). */
  public FeatureStats featureStats() {
    return featureStats;
  }

  /** L0 per row (live view). */
  public L0Histogram l0Histogram() {
    return l0Histogram;
  }

  /** Per-feature top-k rows (live view). */
  public TopKExamples topKExamples() {
    return topKExamples;
  }

  /** Per-feature activation histograms (live view). */
  public ActivationHistograms histograms() {
    return histograms;
  }

  /** Per-feature samples from each activation band (live view). */
  public BandSamples bandSamples() {
    return bandSamples;
  }

  /** Reconstruction sums (live view). */
  public ReconstructionMetrics reconstruction() {
    return reconstruction;
  }
}
