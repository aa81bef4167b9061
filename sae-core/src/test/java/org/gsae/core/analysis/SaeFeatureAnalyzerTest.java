package org.gsae.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.gsae.core.data.ActivationDataset;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.metrics.ReconstructionMetrics;
import org.gsae.core.metrics.TopKExamples.Example;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SaeFeatureAnalyzerTest {

  /**
   * d_in = 2, d_sae = 3, b_dec = 0, r_mag = 0 (so W_mag = W_enc), b_mag = 0:
   * pi = (x0, x1, x0 + x1); b_gate = (0, 0, -100), so feature 2 never opens and
   * f = (relu(x0), relu(x1), 0). W_dec rows e1, e2, (0.6, 0.8), so x_hat = (relu(x0), relu(x1)).
   */
  private static GatedSae handBuiltSae() {
    SaeParameters p = new SaeParameters(
        Tensor.of(new float[] {1, 0, 1, 0, 1, 1}, 2, 3),
        Tensor.of(new float[] {0, 0, -100}, 3),
        Tensor.of(new float[] {0, 0, 0}, 3),
        Tensor.of(new float[] {0, 0, 0}, 3),
        Tensor.of(new float[] {1, 0, 0, 1, 0.6f, 0.8f}, 3, 2),
        Tensor.of(new float[] {0, 0}, 2));
    return new GatedSae(p, 1.0);
  }

  // f per row: r0 (1,2,0) L0 2; r1 (3,0,0) L0 1; r2 (0,0,0) L0 0; r3 (2,5,0) L0 2; r4 (3,0.5,0) L0 2
  private static final ActivationDataset DATA = ActivationDataset.of(new float[][] {
      {1, 2}, {3, -1}, {-1, -1}, {2, 5}, {3, 0.5f}});

  @Test
  void givenAHandBuiltSae_thenTopExamplesAreByHandAndTiesGoToTheEarlierRow() {
    // batch size 2 splits the 5 rows into batches of 2, 2, 1
    SaeFeatureAnalyzer a = new SaeFeatureAnalyzer(handBuiltSae(), 2);
    // feature 0 activations: r0 1, r1 3, r3 2, r4 3 -> (r1,3) (r4,3) tie by index, then (r3,2), (r0,1)
    assertEquals(List.of(new ActivatingExample(1, 3f), new ActivatingExample(4, 3f)),
        a.topActivatingExamples(0, DATA, 2));
    assertEquals(List.of(new ActivatingExample(1, 3f), new ActivatingExample(4, 3f),
        new ActivatingExample(3, 2f), new ActivatingExample(0, 1f)),
        a.topActivatingExamples(0, DATA, 10));
    // feature 1: r3 5, r0 2, r4 0.5
    assertEquals(List.of(new ActivatingExample(3, 5f), new ActivatingExample(0, 2f)),
        a.topActivatingExamples(1, DATA, 2));
    assertEquals(List.of(), a.topActivatingExamples(2, DATA, 3));
    assertThrows(IllegalArgumentException.class, () -> a.topActivatingExamples(3, DATA, 3));
  }

  @Test
  void givenAHandBuiltSae_thenDeadRatioAndSparsityReportAreByHand() {
    for (int batchSize : new int[] {1, 2, 4096}) {
      SaeFeatureAnalyzer a = new SaeFeatureAnalyzer(handBuiltSae(), batchSize);
      // feature 2 is dead: 1 of 3
      assertEquals(1.0 / 3, a.deadFeatureRatio(DATA), 1e-15);
      SparsityReport r = a.sparsityReport(DATA, 1);
      // L0 = 2, 1, 0, 2, 2: mean 7/5, sorted 0,1,2,2,2 -> median 2
      assertEquals(1.4, r.l0Mean(), 1e-15);
      assertEquals(2.0, r.l0Median());
      assertEquals(2, r.alive());
      assertEquals(1, r.dead());
      assertEquals(3, r.nFeatures());
      assertEquals(2.0 / 3, r.aliveFraction(), 1e-15);
      // totals: f0 1+3+2+3 = 9, f1 2+5+0.5 = 7.5, f2 0; top-1 share 9 / 16.5 = 6/11
      assertEquals(1, r.topk());
      assertEquals(6.0 / 11, r.topkShare(), 1e-12);
      // default k = 20 is clamped to 3 and covers everything
      SparsityReport d = a.sparsityReport(DATA);
      assertEquals(3, d.topk());
      assertEquals(1.0, d.topkShare(), 1e-15);
    }
  }

  @Test
  void givenAHandBuiltSae_thenReconstructionMetricsAreByHand() {
    ReconstructionMetrics m = new SaeFeatureAnalyzer(handBuiltSae(), 2).reconstructionMetrics(DATA);
    // x_hat = (relu x0, relu x1): errors only on r1 (0,-1) -> 1 and r2 (-1,-1) -> 2; SSE 3
    assertEquals(5, m.rows());
    assertEquals(3.0, m.sumSquaredError(), 1e-12);
    assertEquals(0.6, m.mse(), 1e-12);
    // mean x = (8/5, 5.5/5) = (1.6, 1.1);
    // dim 0 deviations -0.6, 1.4, -2.6, 0.4, 1.4 -> 0.36+1.96+6.76+0.16+1.96 = 11.2
    // dim 1 deviations 0.9, -2.1, -2.1, 3.9, -0.6 -> 0.81+4.41+4.41+15.21+0.36 = 25.2
    assertEquals(36.4, m.sumSquaredDeviation(), 1e-12);
    assertEquals(3 / 36.4, m.fvu(), 1e-12);
    // x . x_hat = ||x_hat||^2 row by row (5, 9, 0, 29, 9.25), so gamma = 1
    assertEquals(1.0, m.relativeReconstructionBias(), 1e-12);
    // cosines: r0 1; r1 x=(3,-1), x_hat=(3,0): 9 / (sqrt 10 * 3) = 3 / sqrt 10;
    // r2 skipped (x_hat = 0); r3 1; r4 1
    assertEquals((3 + 3 / Math.sqrt(10)) / 4, m.meanCosineSimilarity(), 1e-12);
    assertEquals(1, m.cosineSkippedRows());
  }

  @Test
  void givenAHandBuiltSae_whenAnalysedInOnePass_thenItAgreesWithTheSingleMethods() {
    SaeFeatureAnalyzer a = new SaeFeatureAnalyzer(handBuiltSae(), 2);
    AnalysisMetrics all = a.analyze(DATA, 2);
    assertArrayEquals(new long[] {1, 1, 3, 0}, all.l0Histogram().histogram());
    assertArrayEquals(new long[] {4, 3, 0}, all.featureStats().fireCounts());
    assertEquals(List.of(new Example(1, 3f),
        new Example(4, 3f)), all.topKExamples().examples(0));
    assertEquals(a.reconstructionMetrics(DATA).result(), all.reconstruction().result());
  }

  @Test
  void givenHandMadeDecoderRows_thenExcessKurtosisIsByHand() {
    // [1,-1,1,-1]: mean 0, m2 = 1, m4 = 1 -> 1/1 - 3 = -2
    // [0,0,0,4]: mean 1, z = (-1,-1,-1,3), m2 = 12/4 = 3, m4 = (1+1+1+81)/4 = 21 -> 21/9 - 3 = -2/3
    // [2,2,2,2]: constant -> 0 (gated-sae-tf's guard)
    DecoderSharpness s = DecoderSharpness.of(new float[] {1, -1, 1, -1, 0, 0, 0, 4, 2, 2, 2, 2}, 3, 4);
    assertArrayEquals(new double[] {-2, -2.0 / 3, 0}, s.perFeature(), 1e-12);
    // mean (-2 - 2/3 + 0) / 3 = -8/9
    assertEquals(-8.0 / 9, s.mean(), 1e-12);
  }

  @Test
  void givenRandomDecoderRows_thenKurtosisMatchesTheRawMomentFormula() {
    Random rnd = new Random(7);
    int m = 5;
    int n = 33;
    float[] w = new float[m * n];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() * (1 + i % 3) + (i % 5 == 0 ? 4 : 0));
    }
    double[] k = DecoderSharpness.of(w, m, n).perFeature();
    for (int j = 0; j < m; j++) {
      // central moments from raw moments: m2 = E2 - mu^2, m4 = E4 - 4 mu E3 + 6 mu^2 E2 - 3 mu^4
      double e1 = 0;
      double e2 = 0;
      double e3 = 0;
      double e4 = 0;
      for (int i = 0; i < n; i++) {
        double v = w[j * n + i];
        e1 += v / n;
        e2 += v * v / n;
        e3 += v * v * v / n;
        e4 += v * v * v * v / n;
      }
      double m2 = e2 - e1 * e1;
      double m4 = e4 - 4 * e1 * e3 + 6 * e1 * e1 * e2 - 3 * e1 * e1 * e1 * e1;
      assertEquals(m4 / (m2 * m2) - 3, k[j], 1e-9, "feature " + j);
    }
  }

  @Test
  void givenAHandBuiltSae_thenDecoderSharpnessOfTwoEntryRowsIsMinusTwo() {
    // Any non-constant row of two entries: z = +-d, m2 = d^2, m4 = d^4 -> 1 - 3 = -2
    DecoderSharpness s = new SaeFeatureAnalyzer(handBuiltSae()).decoderSharpness();
    assertArrayEquals(new double[] {-2, -2, -2}, s.perFeature(), 1e-6);
    assertEquals(-2, s.mean(), 1e-6);
  }

  @Test
  void givenAWrongWidthOrNoRows_thenTheErrorIsInvalidInputNamingBothWidths() {
    SaeFeatureAnalyzer a = new SaeFeatureAnalyzer(handBuiltSae());
    GsaeException e = assertThrows(GsaeException.class,
        () -> a.deadFeatureRatio(ActivationDataset.of(new float[][] {{1, 2, 3}})));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("d_in=3") && e.getMessage().contains("d_in=2"), e.getMessage());
    GsaeException empty = assertThrows(GsaeException.class,
        () -> a.sparsityReport(new ActivationDataset(new float[0], 2)));
    assertEquals(ErrorCode.INVALID_INPUT, empty.code());
    assertThrows(IllegalArgumentException.class, () -> new SaeFeatureAnalyzer(handBuiltSae(), 0));
  }
}
