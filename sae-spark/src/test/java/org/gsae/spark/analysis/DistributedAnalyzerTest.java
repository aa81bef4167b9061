package org.gsae.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaSparkContext;
import org.gsae.core.analysis.SaeFeatureAnalyzer;
import org.gsae.core.data.ActivationDataset;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.metrics.FeatureStats;
import org.gsae.core.metrics.ReconstructionMetrics;
import org.gsae.core.metrics.ActivationHistograms;
import org.gsae.core.metrics.BandSamples;
import org.gsae.core.metrics.TopKExamples;
import org.gsae.core.model.AlignedEncoder;
import org.gsae.core.model.Encoding;
import org.gsae.core.model.GatedEncoder;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.PackOptions;
import org.gsae.spark.store.PackedStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The distributed pass against hand-worked numbers and against the local
 * {@link SaeFeatureAnalyzer} on the same rows, with one and several partitions.
 */
@Tag("determinism")
class DistributedAnalyzerTest {
  private static final int ROWS = 1200;
  private static final int D_SAE = 40;
  private static final int[] DEAD = {3, 17};
  private static final int TOP_K = 6;

  @TempDir static Path dir;
  static String handStore;
  static String synthStore;
  static SyntheticActivations data;
  static SaeParameters model;

  @BeforeAll
  static void stores() {
    handStore = AnalysisFixtures.writeStore(dir, "hand", AnalysisFixtures.HAND_ROWS, 2, false);
    data = SyntheticActivations.generate(ROWS, 12, 24, 3.0, 0.05, 11);
    synthStore = AnalysisFixtures.writeSynthetic(dir, "synth", data, 3);
    model = AnalysisFixtures.randomModel(data, D_SAE, DEAD);
  }

  private static AnalysisMetrics distributed(String store, SaeParameters p, int partitions,
      int blockRows, int batchSize, int topK) {
    try (ActivationStore s = ActivationStore.open(SparkTestSession.get(), InputConfig.of(store),
        OptionalInt.of(p.dIn()));
         PackedStore packed = s.pack(new PackOptions(partitions, blockRows))) {
      assertEquals(partitions, packed.numPartitions());
      return DistributedAnalyzer.analyze(
          JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext()),
          packed.blocks(), p, topK, AlignedEncoder.blockRows(batchSize, s.totalRows()));
    }
  }

  /**
   * FVU by hand (relu model, rows (4,-1), (3,1), (-2,5), (4,-3)): x_hat = relu(x), squared
   * errors 1, 0, 4, 9 (sum 14); mean x = (2.25, 0.5), sum of squared deviations
   * 24.75 + 35 = 59.75; FVU = 14 / 59.75. Per 2-row batch the FVUs are 1/2.5 = 0.4 and
   * 13/50 = 0.26: their mean (0.33) and the ratio of summed per-batch terms (14/52.5) both
   * differ, so only global sums give the right number.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void givenTheHandWorkedStore_whenAnalysed_thenEveryNumberIsByHand(int partitions) {
    AnalysisMetrics m = distributed(handStore, AnalysisFixtures.reluModel(), partitions, 2, 2, 2);

    ReconstructionMetrics r = m.reconstruction();
    assertEquals(4, r.rows());
    assertEquals(14.0, r.sumSquaredError(), 1e-12);
    assertEquals(59.75, r.sumSquaredDeviation(), 1e-12);
    assertEquals(14.0 / 59.75, r.fvu(), 1e-12);
    assertNotEquals((0.4 + 0.26) / 2, r.fvu(), 1e-3, "mean of per-batch FVUs");
    assertNotEquals(14.0 / 52.5, r.fvu(), 1e-3, "per-batch denominators");
    assertEquals(3.5, r.mse(), 1e-12);
    assertEquals(1.0, r.relativeReconstructionBias(), 1e-12); // x . relu(x) = ||relu(x)||^2
    double cos = (4 / Math.sqrt(17) + 1 + 5 / Math.sqrt(29) + 0.8) / 4;
    assertEquals(cos, r.meanCosineSimilarity(), 1e-7);

    FeatureStats f = m.featureStats();
    assertArrayEquals(new long[] {3, 2, 0}, f.fireCounts());
    assertArrayEquals(new double[] {11.0 / 3, 3.0, 0}, f.meanActiveActivations(), 1e-12);
    assertArrayEquals(new float[] {4, 5, 0}, f.maxActivations());
    assertEquals(1, f.deadCount());
    assertArrayEquals(new long[] {0, 3, 1, 0}, m.l0Histogram().histogram());
    assertEquals(1.25, m.l0Histogram().mean(), 1e-12);
    assertEquals(1.0, m.l0Histogram().median(), 0);

    // Feature 0 ties at 4 on rows 0 and 3: the smaller row id ranks first.
    assertEquals(List.of(new TopKExamples.Example(0, 4f), new TopKExamples.Example(3, 4f)),
        m.topKExamples().examples(0));
    assertEquals(List.of(new TopKExamples.Example(2, 5f), new TopKExamples.Example(1, 1f)),
        m.topKExamples().examples(1));
    assertEquals(List.of(), m.topKExamples().examples(2));

    // Histogram bins of 1/8 decade from 1e-4: floor(8 (log10 a + 4)); 1 -> 32, 3 -> 35 (35.8),
    // 4 -> 36 (36.8), 5 -> 37 (37.6). Bands are bin / 2.
    long[] h0 = new long[ActivationHistograms.BINS];
    h0[35] = 1;
    h0[36] = 2;
    long[] h1 = new long[ActivationHistograms.BINS];
    h1[32] = 1;
    h1[37] = 1;
    assertArrayEquals(h0, m.histograms().histogram(0));
    assertArrayEquals(h1, m.histograms().histogram(1));
    assertArrayEquals(new long[ActivationHistograms.BINS], m.histograms().histogram(2));
    BandSamples b = m.bandSamples();
    assertEquals(List.of(new BandSamples.Example(1, 3f)), b.examples(0, 17));
    // Rows 0 and 3 share band 18: in the order of their SplitMix64 hashes.
    List<BandSamples.Example> both = Long.compareUnsigned(BandSamples.hash(0), BandSamples.hash(3)) < 0
        ? List.of(new BandSamples.Example(0, 4f), new BandSamples.Example(3, 4f))
        : List.of(new BandSamples.Example(3, 4f), new BandSamples.Example(0, 4f));
    assertEquals(both, b.examples(0, 18));
    assertEquals(List.of(new BandSamples.Example(1, 1f)), b.examples(1, 16));
    assertEquals(List.of(new BandSamples.Example(2, 5f)), b.examples(1, 18));
    assertEquals(5, b.count());
  }

  private static AnalysisMetrics local(int batchSize) {
    return new SaeFeatureAnalyzer(new GatedSae(model, 1.0), batchSize)
        .analyze(new ActivationDataset(data.data().data(), data.data().dIn()), TOP_K);
  }

  /**
   * Batches of 100 rows line up with the partition boundaries (1200 rows in 1, 2 or 3 equal
   * ranges), so each batch holds the same rows as the local analyzer's and the feature
   * activations are bit-identical: counts, maxima, the L0 histogram and the top-k lists must be
   * equal exactly; double sums differ only by summation order.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void givenAlignedBatches_whenAnalysed_thenTheResultEqualsTheLocalAnalyzer(int partitions) {
    AnalysisMetrics expected = local(100);
    AnalysisMetrics actual = distributed(synthStore, model, partitions, 100, 100, TOP_K);
    assertSameCountsAndTopK(expected, actual);
    assertSameSums(expected, actual, 1e-12);
    for (int j : DEAD) {
      assertTrue(actual.featureStats().dead(j), "feature " + j + " is switched off");
    }
    assertTrue(actual.featureStats().deadCount() < D_SAE / 2, "most features fire");
  }

  /**
   * Partition ranges (400 or 600 rows) and packed blocks (256 or 7 rows) that do not line up
   * with the 128-row batches: rows are encoded in batches aligned to their row ids, so every row
   * is computed at the same place of a GEMM of the same shape as in the local analyzer, and its
   * activations are the same bits on any BLAS kernel. Only the double sums' order differs.
   */
  @ParameterizedTest
  @CsvSource({"1, 256", "3, 256", "2, 7", "3, 7"})
  void givenOtherPartitioning_whenAnalysed_thenTheResultStillEqualsTheLocalAnalyzer(int partitions,
      int blockRows) {
    AnalysisMetrics expected = local(128);
    AnalysisMetrics actual = distributed(synthStore, model, partitions, blockRows, 128, TOP_K);
    assertSameCountsAndTopK(expected, actual);
    assertSameSums(expected, actual, 1e-12);
  }

  /**
   * Another batch size is another GEMM shape, so activations may differ in the last bits (by
   * BLAS kernel): maxima and the top-k activations agree to float32 rounding (1e-5 relative:
   * dot products of 12 terms of magnitude ~1 round to ~1e-7 each, and the magnitude path
   * multiplies by exp(r_mag)). Counts are exact here because no gate or magnitude
   * pre-activation of this data lies within 1e-5 of 0 (ten times that rounding), which the test
   * checks first.
   */
  @Test
  void givenAnotherBatchSize_whenAnalysed_thenTheResultAgreesToFloatRounding() {
    SaeParameters p = model;
    Encoding e = GatedEncoder.encode(p, Tensor.of(data.data().data(), ROWS, data.data().dIn()));
    float[] piGate = e.piGate().toFloatArray();
    float[] piMag = e.piMag().toFloatArray();
    for (int i = 0; i < piGate.length; i++) {
      assertTrue(Math.abs(piGate[i]) > 1e-5 && (piGate[i] <= 0 || Math.abs(piMag[i]) > 1e-5),
          "precondition: pre-activation " + i + " is clear of 0 (" + piGate[i] + ", " + piMag[i] + ")");
    }
    AnalysisMetrics expected = local(128);
    AnalysisMetrics actual = distributed(synthStore, model, 3, 256, 64, TOP_K);
    assertArrayEquals(expected.featureStats().fireCounts(), actual.featureStats().fireCounts());
    assertArrayEquals(expected.l0Histogram().histogram(), actual.l0Histogram().histogram());
    float[] em = expected.featureStats().maxActivations();
    float[] am = actual.featureStats().maxActivations();
    for (int j = 0; j < D_SAE; j++) {
      assertEquals(em[j], am[j], 1e-5 * Math.max(1, em[j]), "max activation of feature " + j);
      List<TopKExamples.Example> te = expected.topKExamples().examples(j);
      List<TopKExamples.Example> ta = actual.topKExamples().examples(j);
      assertEquals(te.size(), ta.size(), "top-k of feature " + j);
      for (int r = 0; r < te.size(); r++) {
        assertEquals(te.get(r).activation(), ta.get(r).activation(),
            1e-5 * Math.max(1, te.get(r).activation()), "rank " + r + " of feature " + j);
      }
    }
    assertSameSums(expected, actual, 1e-6);
  }

  @Test
  void givenTheSameInput_whenAnalysedTwice_thenTheFloatSumsAreBitIdentical() {
    AnalysisMetrics a = distributed(synthStore, model, 3, 256, 64, TOP_K);
    AnalysisMetrics b = distributed(synthStore, model, 3, 256, 64, TOP_K);
    assertArrayEquals(a.featureStats().activationSums(), b.featureStats().activationSums());
    assertEquals(a.reconstruction().sumSquaredError(), b.reconstruction().sumSquaredError(), 0);
    assertEquals(a.reconstruction().sumSquaredDeviation(), b.reconstruction().sumSquaredDeviation(), 0);
  }

  private static void assertSameCountsAndTopK(AnalysisMetrics expected, AnalysisMetrics actual) {
    assertEquals(expected.featureStats().rows(), actual.featureStats().rows());
    assertArrayEquals(expected.featureStats().fireCounts(), actual.featureStats().fireCounts());
    assertArrayEquals(expected.featureStats().maxActivations(), actual.featureStats().maxActivations());
    assertArrayEquals(expected.l0Histogram().histogram(), actual.l0Histogram().histogram());
    assertEquals(expected.topKExamples().allExamples(), actual.topKExamples().allExamples());
    for (int j = 0; j < expected.featureStats().dSae(); j++) {
      assertArrayEquals(expected.histograms().histogram(j), actual.histograms().histogram(j));
      for (int band = 0; band < BandSamples.BANDS; band++) {
        assertEquals(expected.bandSamples().examples(j, band), actual.bandSamples().examples(j, band));
      }
    }
  }

  private static void assertSameSums(AnalysisMetrics expected, AnalysisMetrics actual, double rel) {
    double[] e = expected.featureStats().activationSums();
    double[] a = actual.featureStats().activationSums();
    for (int j = 0; j < e.length; j++) {
      assertEquals(e[j], a[j], rel * Math.max(1, Math.abs(e[j])), "activation sum of feature " + j);
    }
    ReconstructionMetrics re = expected.reconstruction();
    ReconstructionMetrics ra = actual.reconstruction();
    assertEquals(re.rows(), ra.rows());
    assertEquals(re.sumSquaredError(), ra.sumSquaredError(), rel * re.sumSquaredError());
    assertEquals(re.sumSquaredDeviation(), ra.sumSquaredDeviation(), rel * re.sumSquaredDeviation());
    assertEquals(re.fvu(), ra.fvu(), rel * re.fvu());
    assertEquals(re.relativeReconstructionBias(), ra.relativeReconstructionBias(), rel);
    assertEquals(re.meanCosineSimilarity(), ra.meanCosineSimilarity(), rel);
  }
}
