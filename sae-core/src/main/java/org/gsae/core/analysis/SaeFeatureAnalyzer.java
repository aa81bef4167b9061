package org.gsae.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.gsae.core.data.ActivationDataset;
import org.gsae.core.error.Errors;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.metrics.FeatureStats;
import org.gsae.core.metrics.L0Histogram;
import org.gsae.core.metrics.ReconstructionMetrics;
import org.gsae.core.metrics.TopKExamples;
import org.gsae.core.model.AlignedEncoder;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;

/**
 * Feature analysis of a {@link GatedSae} on in-memory activations (the original Python API,
 * plus gated-sae-tf's sparsity and sharpness reports).
 *
 * <p>Each method makes one pass over the dataset in row batches of {@link #batchSize()} rows
 * (fewer when the dataset is smaller): through an {@link AlignedEncoder}, the batch [B, n] is
 * encoded into feature activations [B, m] (and decoded when reconstructions are needed), and
 * the plain arrays are fed to the aggregators of {@link org.gsae.core.metrics}, exactly as the
 * distributed pass does per partition, so both see the same bits for every row. A pass reads the
 * model's parameters once, at its start. Peak memory is a few [B, m] float arrays (64 MB each at
 * the automatic batch size).
 *
 * <p>Row ids are the dataset's row indices, so ties in activation rank the earlier row first.
 *
 * <p>Given an {@link ActivationModel} (the model the SAE was trained on, at the same site), the
 * analyzer also works on texts: {@link #topActivatingExamples(int, List, int)} runs the model
 * and returns the tokens that fire a feature most, in their context.
 */
public final class SaeFeatureAnalyzer {
  /** Tokens each side of a text example's token in its {@link TextExample#context()}. */
  public static final int CONTEXT_TOKENS = 8;

  private final GatedSae sae;
  private final int batchSize;
  private final ActivationModel model;

  /**
   * An analyzer with the automatic batch size of the distributed passes,
   * {@link AlignedEncoder#autoBatchSize(int)} of the model's {@code d_sae}.
   */
  public SaeFeatureAnalyzer(GatedSae sae) {
    this(sae, AlignedEncoder.autoBatchSize(sae.dHidden()));
  }

  /**
   * @param sae       the model to analyse (its current parameters are read at each pass)
   * @param batchSize rows encoded at once, at least 1
   */
  public SaeFeatureAnalyzer(GatedSae sae, int batchSize) {
    this(sae, batchSize, null);
  }

  /**
   * An analyzer that can also read texts through {@code model} (not closed by the analyzer).
   *
   * @param model the model and site the SAE was trained on; its width must be the SAE's d_in
   */
  public SaeFeatureAnalyzer(GatedSae sae, ActivationModel model) {
    this(sae, AlignedEncoder.autoBatchSize(sae.dHidden()), Objects.requireNonNull(model, "model"));
  }

  private SaeFeatureAnalyzer(GatedSae sae, int batchSize, ActivationModel model) {
    this.sae = Objects.requireNonNull(sae, "sae");
    Errors.check(batchSize >= 1, "batch size must be >= 1, got %d", batchSize);
    if (model != null && model.width() != sae.dInput()) {
      throw Errors.invalidInput("the model's site " + model.site() + " has width "
          + model.width() + " but the SAE expects d_in=" + sae.dInput(), model.site(),
          "use the model, layer and site the SAE was trained on");
    }
    this.batchSize = batchSize;
    this.model = model;
  }

  /** Rows encoded at once. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The {@code k} rows on which {@code feature} fires most strongly, strongest first (ties:
   * lower row index first). Fewer than k when the feature fires on fewer rows; empty when dead.
   *
   * @param feature feature index in 0..m-1
   * @param dataset activations [N, n]
   * @param k       number of rows to return, at least 1
   */
  public List<ActivatingExample> topActivatingExamples(int feature, ActivationDataset dataset, int k) {
    int m = sae.dHidden();
    Errors.check(feature >= 0 && feature < m, "feature index %d is out of range 0..%d (d_sae=%d)",
        feature, m - 1, m);
    Errors.check(k >= 1, "k must be >= 1, got %d", k);
    // A one-feature aggregate over the feature's column: same ranking code as the full pass.
    TopKExamples top = new TopKExamples(1, k);
    forEachBatch(dataset, false, (rowIds, rows, x, featureActs, xHat) -> {
      float[] column = new float[rows];
      for (int r = 0; r < rows; r++) {
        column[r] = featureActs[r * m + feature];
      }
      top.add(column, rowIds, rows);
    });
    return top.examples(0).stream()
        .map(e -> new ActivatingExample(Math.toIntExact(e.rowId()), e.activation()))
        .toList();
  }

  /**
   * The {@code k} tokens of {@code texts} on which {@code feature} fires most strongly, strongest
   * first (ties: earlier text, then earlier token, first), each with its context. The texts go
   * through the analyzer's {@link ActivationModel}, then through the same ranking as
   * {@link #topActivatingExamples(int, ActivationDataset, int)} with the tokens as rows.
   *
   * @throws IllegalStateException when the analyzer was built without a model
   */
  public List<TextExample> topActivatingExamples(int feature, List<String> texts, int k) {
    if (model == null) {
      throw new IllegalStateException("this analyzer has no model: build it with "
          + "new SaeFeatureAnalyzer(sae, model) to analyse texts");
    }
    List<TokenActivations> acts = model.activations(texts);
    int tokens = acts.stream().mapToInt(TokenActivations::size).sum();
    if (tokens == 0) {
      throw Errors.invalidInput("the " + texts.size() + " texts have no tokens", model.site(),
          "pass non-empty texts");
    }
    int n = model.width();
    float[] data = new float[Math.multiplyExact(tokens, n)];
    int[] textOf = new int[tokens];
    int[] tokenOf = new int[tokens];
    int row = 0;
    for (int t = 0; t < acts.size(); t++) {
      TokenActivations a = acts.get(t);
      System.arraycopy(a.values(), 0, data, row * n, a.values().length);
      for (int i = 0; i < a.size(); i++, row++) {
        textOf[row] = t;
        tokenOf[row] = i;
      }
    }
    List<TextExample> out = new ArrayList<>();
    for (ActivatingExample e : topActivatingExamples(feature, new ActivationDataset(data, n), k)) {
      TokenActivations a = acts.get(textOf[e.rowIndex()]);
      int i = tokenOf[e.rowIndex()];
      out.add(new TextExample(textOf[e.rowIndex()], a.text(), a.tokens()[i], a.positions()[i],
          a.context(i, CONTEXT_TOKENS), e.activation()));
    }
    return out;
  }

  /** Fraction of the m features that never fire on {@code dataset}. */
  public double deadFeatureRatio(ActivationDataset dataset) {
    return featureStats(dataset).deadFeatureRatio();
  }

  /** Per-feature fire counts, activation sums and maxima over {@code dataset}. */
  public FeatureStats featureStats(ActivationDataset dataset) {
    FeatureStats stats = new FeatureStats(sae.dHidden());
    forEachBatch(dataset, false,
        (rowIds, rows, x, featureActs, xHat) -> stats.add(featureActs, rows));
    return stats;
  }

  /** {@link #sparsityReport(ActivationDataset, int)} with gated-sae-tf's default k = 20. */
  public SparsityReport sparsityReport(ActivationDataset dataset) {
    return sparsityReport(dataset, FeatureStats.DEFAULT_TOPK_SHARE_K);
  }

  /**
   * L0 mean and median, alive and dead feature counts and the top-k activation share.
   *
   * @param topkShareK number of top features for the activation share, at least 1
   */
  public SparsityReport sparsityReport(ActivationDataset dataset, int topkShareK) {
    Errors.check(topkShareK >= 1, "top-k share k must be >= 1, got %d", topkShareK);
    int m = sae.dHidden();
    FeatureStats stats = new FeatureStats(m);
    L0Histogram l0 = new L0Histogram(m);
    forEachBatch(dataset, false, (rowIds, rows, x, featureActs, xHat) -> {
      stats.add(featureActs, rows);
      l0.add(featureActs, rows);
    });
    return new SparsityReport(l0.mean(), l0.median(), stats.aliveCount(), stats.deadCount(), m,
        stats.aliveFraction(), Math.min(topkShareK, m), stats.topKShare(topkShareK));
  }

  /** Per-feature excess kurtosis of the decoder rows {@code W_dec[j]} and its mean. */
  public DecoderSharpness decoderSharpness() {
    SaeParameters p = sae.parameters();
    return DecoderSharpness.of(p.wDec().toFloatArray(), p.dSae(), p.dIn());
  }

  /** MSE, FVU, explained variance, relative reconstruction bias and cosine similarity. */
  public ReconstructionMetrics reconstructionMetrics(ActivationDataset dataset) {
    ReconstructionMetrics metrics = new ReconstructionMetrics(sae.dInput());
    forEachBatch(dataset, true, (rowIds, rows, x, featureActs, xHat) -> metrics.add(x, xHat, rows));
    return metrics;
  }

  /**
   * All analysis aggregates in one pass (what the {@code analyze} job computes per partition).
   *
   * @param topK rows kept per feature, at least 1
   */
  public AnalysisMetrics analyze(ActivationDataset dataset, int topK) {
    AnalysisMetrics all = new AnalysisMetrics(sae.dInput(), sae.dHidden(), topK);
    forEachBatch(dataset, true, (rowIds, rows, x, featureActs, xHat) ->
        all.add(x, featureActs, xHat, rowIds, rows));
    return all;
  }

  private void forEachBatch(ActivationDataset dataset, boolean reconstruct,
      AlignedEncoder.Sink sink) {
    SaeParameters p = sae.parameters();
    checkDataset(dataset, p);
    int n = p.dIn();
    float[] data = dataset.data();
    AlignedEncoder encoder = new AlignedEncoder(p,
        AlignedEncoder.blockRows(batchSize, dataset.rows()), reconstruct, sink);
    for (int r = 0; r < dataset.rows(); r++) {
      encoder.add(r, data, r * n);
    }
    encoder.flush();
  }

  private static void checkDataset(ActivationDataset dataset, SaeParameters p) {
    Objects.requireNonNull(dataset, "dataset");
    if (dataset.dIn() != p.dIn()) {
      throw Errors.invalidInput("the dataset's rows have d_in=" + dataset.dIn()
          + " values but the SAE expects d_in=" + p.dIn(), "dataset",
          "analyse activations from the model and hook point the SAE was trained on");
    }
    if (dataset.rows() == 0) {
      throw Errors.invalidInput("the dataset has no rows", "dataset",
          "pass at least one activation row");
    }
  }
}
