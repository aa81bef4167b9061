package org.gsae.core.loss;

import static org.gsae.core.testing.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both chunk paths of the training step (sparse pairs, dense GEMMs) equal the reference
 * {@link GatedLoss#evaluate} to float32 rounding, at several gate densities, for both
 * variants, with uneven chunks; and neither depends on the thread count.
 */
@Tag("determinism")
class SparseDenseEquivalenceTest {

  private static SaeParameters params(double gateBias, SyntheticActivations s) {
    SaeParameters base = SaeInit.initialize(24, 96, 4, s.data().mean());
    float[] bg = new float[96];
    float[] rm = new float[96];
    float[] bm = new float[96];
    for (int j = 0; j < 96; j++) {
      bg[j] = (float) (gateBias + 0.2 * Math.sin(j));
      rm[j] = (float) (0.3 * Math.cos(j));
      bm[j] = (float) (0.1 * Math.sin(3 * j));
    }
    return new SaeParameters(base.wEnc(), Tensor.of(bg, 96), Tensor.of(rm, 96),
        Tensor.of(bm, 96), base.wDec(), base.bDec());
  }

  /**
   * The training path (sparse when {@code denseAbove} = 1, GEMM-based dense when 0) equals
   * {@link GatedLoss#evaluate} within float32 rounding; chunks of 100 rows leave a short last
   * chunk, chunks of 300 split into a full and a zero-padded dense block.
   */
  @ParameterizedTest(name = "{0} gate bias {1} dense above {2} chunk {3}")
  @CsvSource({"PAPER, -0.3, 1.0, 100", "PAPER, 0.0, 1.0, 100", "PAPER, 0.5, 1.0, 100",
      "SAELENS, -0.3, 1.0, 100", "SAELENS, 0.5, 1.0, 100",
      "PAPER, -0.3, 0.0, 100", "PAPER, 0.5, 0.0, 300", "SAELENS, 0.0, 0.0, 300",
      "SAELENS, 0.5, 0.0, 100"})
  void givenAnyDensity_whenAccumulated_thenEvaluateResultWithinRounding(Variant v, double gateBias,
      double denseAbove, int chunk) {
    SyntheticActivations s = SyntheticActivations.generate(257, 24, 40, 4, 0.05, 9);
    SaeParameters p = params(gateBias, s);
    float[] x = s.data().data();
    double lambda = 0.7;

    GatedLoss.Result ref = new GatedLoss(v, 0.8, 0.0).evaluate(p, Tensor.of(x, 257, 24), lambda);
    SaeParameters g = SaeParameters.zeros(24, 96, DType.FLOAT32);
    LossSums ls = new GatedLoss(v, 0.8, denseAbove).accumulate(p, x, 257, chunk, lambda, g);

    assertEquals(257, ls.rows());
    assertEquals(ref.loss().l0(), ls.l0(), "L0 counts are exact");
    assertClose("mse", new double[] {ref.loss().mse()}, new double[] {ls.mse()}, 1e-5);
    assertClose("l1", new double[] {ref.loss().l1()}, new double[] {ls.l1()}, 1e-5);
    assertClose("aux", new double[] {ref.loss().aux()}, new double[] {ls.aux()}, 1e-5);
    for (String name : SaeParameters.NAMES) {
      assertClose(name, ref.gradientSum().get(name).toDoubleArray(), g.get(name).toDoubleArray(), 1e-5);
    }
  }

  /** Threads split rows (forward) and features (backward) but never change a sum's order. */
  @ParameterizedTest(name = "dense above {0}")
  @CsvSource({"1.0", "0.0", "0.3"})
  void givenMoreThreads_whenAccumulated_thenBitIdentical(double denseAbove) {
    SyntheticActivations s = SyntheticActivations.generate(257, 24, 40, 4, 0.05, 9);
    float[] x = s.data().data();
    GatedLoss loss = new GatedLoss(Variant.SAELENS, 0.8, denseAbove);
    float[][] flats = new float[4][];
    LossSums[] sums = new LossSums[4];
    for (int threads = 1; threads <= 3; threads++) {
      // Gate biases that vary by chunk so the 0.3 threshold mixes sparse and dense chunks.
      SaeParameters p = params(0.1, s);
      SaeParameters g = SaeParameters.zeros(24, 96, DType.FLOAT32);
      sums[threads] = loss.accumulate(p, x, 257, 64, 0.7, g, threads);
      flats[threads] = g.toFlat();
    }
    for (int threads = 2; threads <= 3; threads++) {
      assertEquals(sums[1], sums[threads], threads + " threads");
      assertArrayEquals(flats[1], flats[threads], threads + " threads");
    }
  }

  /**
   * The dense path's buffers stay in the pooled scratch while steps run dense chunks (they
   * cost ~30 ms a step to allocate at 784 x 6272) and are freed by the first step that runs
   * none. Three threads: a pool of its own.
   */
  @Test
  void givenStepsWithAndWithoutDenseChunks_thenTheDenseBuffersAreKeptOnlyWhileUsed() {
    SyntheticActivations s = SyntheticActivations.generate(64, 24, 40, 4, 0.05, 5);
    SaeParameters p = params(0.5, s);
    float[] x = s.data().data();
    GatedLoss dense = new GatedLoss(Variant.PAPER, 0.8, 0.0);
    GatedLoss sparse = new GatedLoss(Variant.PAPER, 0.8, 1.0);
    dense.accumulate(p, x, 64, 64, 0.7, SaeParameters.zeros(24, 96, DType.FLOAT32), 3);
    SparseScratch kept = SparseScratch.acquire(24, 96, 3);   // the one that step gave back
    assertTrue(kept.holdsDenseBuffers());
    kept.release();
    dense.accumulate(p, x, 64, 64, 0.7, SaeParameters.zeros(24, 96, DType.FLOAT32), 3);
    sparse.accumulate(p, x, 64, 64, 0.7, SaeParameters.zeros(24, 96, DType.FLOAT32), 3);
    SparseScratch after = SparseScratch.acquire(24, 96, 3);
    assertFalse(after.holdsDenseBuffers());
    after.release();
  }
}
