package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReconstructionMetricsTest {
  private static final double EPS = 1e-12;

  @Test
  void givenTwoBatches_whenFvuIsComputed_thenItUsesGlobalSumsNotTheMeanOfPerBatchFvus() {
    // d_in = 2, second coordinate always 0.
    // Batch 1: x = (1,0),(3,0); x_hat = (2,0),(3,0).
    //   SSE_1 = (1-2)^2 + 0 = 1; batch mean (2,0); SS_1 = 1 + 1 = 2; FVU_1 = 1/2 = 0.5
    // Batch 2: x = (5,0),(7,0); x_hat = (5,0),(5,0).
    //   SSE_2 = 0 + (7-5)^2 = 4; batch mean (6,0); SS_2 = 1 + 1 = 2; FVU_2 = 4/2 = 2
    // Averaging per-batch FVUs: (0.5 + 2) / 2 = 1.25 (wrong).
    // Global: SSE = 5; mean (4,0); SS = 9 + 1 + 1 + 9 = 20; FVU = 5/20 = 0.25 (right).
    float[] x1 = {1, 0, 3, 0};
    float[] h1 = {2, 0, 3, 0};
    float[] x2 = {5, 0, 7, 0};
    float[] h2 = {5, 0, 5, 0};
    ReconstructionMetrics b1 = new ReconstructionMetrics(2).add(x1, h1, 2);
    ReconstructionMetrics b2 = new ReconstructionMetrics(2).add(x2, h2, 2);
    assertEquals(0.5, b1.fvu(), EPS);
    assertEquals(2.0, b2.fvu(), EPS);
    double averageOfBatchFvus = (b1.fvu() + b2.fvu()) / 2;
    assertEquals(1.25, averageOfBatchFvus, EPS);

    ReconstructionMetrics global = b1.merge(b2);
    assertEquals(0.25, global.fvu(), EPS);
    assertNotEquals(averageOfBatchFvus, global.fvu(), 0.5);
    assertEquals(0.75, global.explainedVariance(), EPS);
    assertEquals(5.0, global.sumSquaredError(), EPS);
    assertEquals(20.0, global.sumSquaredDeviation(), EPS);
    // MSE = SSE / N = 5/4 (summed over dims); per element 5/8.
    assertEquals(1.25, global.mse(), EPS);
    assertEquals(0.625, global.msePerElement(), EPS);
    // sum||x_hat||^2 = 4 + 9 + 25 + 25 = 63; sum x.x_hat = 2 + 9 + 25 + 35 = 71.
    assertEquals(63.0 / 71.0, global.relativeReconstructionBias(), EPS);
    // Every x and x_hat points along +e1, so each cosine is 1.
    assertEquals(1.0, global.meanCosineSimilarity(), EPS);
    assertEquals(4, global.rows());
    assertEquals(4.0, global.mean()[0], EPS);
    assertEquals(0.0, global.mean()[1], EPS);
  }

  @Test
  void givenZeroRows_whenCosineIsComputed_thenThoseRowsAreSkippedAndEverySumIsByHand() {
    // d_in = 2
    // r0: x=(1,0), x_hat=(1,1): err (0,-1) -> 1; cos = 1 / (1 * sqrt 2)
    // r1: x=(0,2), x_hat=(0,-3): err (0,5) -> 25; cos = -6 / (2 * 3) = -1
    // r2: x=(0,0), x_hat=(1,1): err (-1,-1) -> 2; skipped (x is zero)
    // r3: x=(3,4), x_hat=(0,0): err (3,4) -> 25; skipped (x_hat is zero)
    float[] x = {1, 0, 0, 2, 0, 0, 3, 4};
    float[] h = {1, 1, 0, -3, 1, 1, 0, 0};
    ReconstructionMetrics m = new ReconstructionMetrics(2).add(x, h, 4);
    // SSE = 1 + 25 + 2 + 25 = 53
    assertEquals(53.0, m.sumSquaredError(), EPS);
    assertEquals(53.0 / 4, m.mse(), EPS);
    // sum||x||^2 = 1 + 4 + 0 + 25 = 30; mean = (4/4, 6/4) = (1, 1.5);
    // SS = 30 - 4 * (1 + 2.25) = 17
    assertEquals(30.0, m.sumSquaredNorm(), EPS);
    assertEquals(17.0, m.sumSquaredDeviation(), EPS);
    assertEquals(53.0 / 17.0, m.fvu(), EPS);
    assertEquals(1 - 53.0 / 17.0, m.explainedVariance(), EPS);
    // sum||x_hat||^2 = 2 + 9 + 2 + 0 = 13; sum x.x_hat = 1 - 6 + 0 + 0 = -5; gamma = -2.6
    assertEquals(13.0, m.sumReconstructionSquaredNorm(), EPS);
    assertEquals(-5.0, m.sumDot(), EPS);
    assertEquals(-2.6, m.relativeReconstructionBias(), EPS);
    assertEquals((1 / Math.sqrt(2) - 1) / 2, m.meanCosineSimilarity(), EPS);
    assertEquals(2, m.cosineSkippedRows());

    ReconstructionResult r = m.result();
    assertEquals(4, r.rows());
    assertEquals(m.fvu(), r.fvu());
    assertEquals(m.meanCosineSimilarity(), r.meanCosineSimilarity());
    assertEquals(2, r.cosineSkippedRows());
  }

  @Test
  void givenALargeOffset_whenSingleRowBlocksAreMerged_thenTheDenominatorIsAccurate() {
    // x = 1e8 + {8, -8, 24, -24, 8} (exact in float32, spacing 8 at 1e8), d_in = 1.
    // mean = 1e8 + 8/5 = 1e8 + 1.6; deviations 6.4, -9.6, 22.4, -25.6, 6.4:
    // 40.96 + 92.16 + 501.76 + 655.36 + 40.96 = 1331.2 (= 1344 - 5 * 1.6^2).
    float[] x = {1e8f + 8, 1e8f - 8, 1e8f + 24, 1e8f - 24, 1e8f + 8};
    ReconstructionMetrics merged = new ReconstructionMetrics(1);
    for (float v : x) {
      merged.merge(new ReconstructionMetrics(1).add(new float[] {v}, new float[] {v}, 1));
    }
    assertEquals(1331.2, merged.sumSquaredDeviation(), 1e-9 * 1331.2);
    // The textbook shortcut sum x^2 - N mean^2 cancels ~5e16 down to ~1e3 and is off by 4.8
    // (it gives 1336 in double).
    double mean = merged.mean()[0];
    double naive = merged.sumSquaredNorm() - 5 * mean * mean;
    assertEquals(1336.0, naive, 0.0);
    assertEquals(0.0, merged.fvu(), 0.0);
  }

  @Test
  void givenNoRows_thenRatiosAreNaN() {
    ReconstructionMetrics m = new ReconstructionMetrics(3);
    assertTrue(Double.isNaN(m.mse()));
    assertTrue(Double.isNaN(m.fvu()));
    assertTrue(Double.isNaN(m.relativeReconstructionBias()));
    assertTrue(Double.isNaN(m.meanCosineSimilarity()));
    assertEquals(0, m.cosineSkippedRows());
  }

  @Test
  void givenABufferLongerThanTheBlock_thenOnlyTheBlockRowsAreRead() {
    // One row (1,2) vs (1,1): SSE 1. The trailing (100,100) must be ignored.
    ReconstructionMetrics m = new ReconstructionMetrics(2)
        .add(new float[] {1, 2, 100, 100}, new float[] {1, 1, 0, 0}, 1);
    assertEquals(1, m.rows());
    assertEquals(1.0, m.sumSquaredError(), EPS);
  }

  @Test
  void givenMismatchedDims_whenMerged_thenTheMessageNamesBothValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ReconstructionMetrics(3).merge(new ReconstructionMetrics(4)));
    assertTrue(e.getMessage().contains("d_in=4") && e.getMessage().contains("d_in=3"), e.getMessage());
  }

  @Test
  void givenAShortBlock_whenAdded_thenTheMessageNamesTheLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ReconstructionMetrics(3).add(new float[5], new float[6], 2));
    assertTrue(e.getMessage().contains("5") && e.getMessage().contains("6"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ReconstructionMetrics(0));
  }

  @Test
  void givenAnAggregate_whenMergedWithItself_thenEveryRowCountsTwice() {
    // x = (1),(3), x_hat = (1),(1): SSE 4, SS 2. Twice: SSE 8, rows 4, mean 2, SS 4 (two 1s, two 1s).
    ReconstructionMetrics m = new ReconstructionMetrics(1).add(new float[] {1, 3}, new float[] {1, 1}, 2);
    m.merge(m);
    assertEquals(4, m.rows());
    assertEquals(8.0, m.sumSquaredError(), EPS);
    assertEquals(4.0, m.sumSquaredDeviation(), EPS);
    assertEquals(2.0, m.fvu(), EPS);
  }
}
