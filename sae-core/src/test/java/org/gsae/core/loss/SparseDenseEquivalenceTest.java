package org.gsae.core.loss;

import static org.gsae.core.testing.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sparse training path equals the dense one (GEMMs over all pairs) to float32 rounding,
 * at several gate densities, for both variants, with uneven chunks.
 */
class SparseDenseEquivalenceTest {

  @ParameterizedTest(name = "{0} gate bias {1}")
  @CsvSource({"PAPER, -0.3", "PAPER, 0.0", "PAPER, 0.5", "SAELENS, -0.3", "SAELENS, 0.5"})
  void givenAnyDensity_whenAccumulatedSparsely_thenDenseResultWithinRounding(Variant v, double gateBias) {
    SyntheticActivations s = SyntheticActivations.generate(257, 24, 40, 4, 0.05, 9);
    SaeParameters base = SaeInit.initialize(24, 96, 4, s.data().mean());
    float[] bg = new float[96];
    float[] rm = new float[96];
    float[] bm = new float[96];
    for (int j = 0; j < 96; j++) {
      bg[j] = (float) (gateBias + 0.2 * Math.sin(j));
      rm[j] = (float) (0.3 * Math.cos(j));
      bm[j] = (float) (0.1 * Math.sin(3 * j));
    }
    SaeParameters p = new SaeParameters(base.wEnc(), Tensor.of(bg, 96), Tensor.of(rm, 96),
        Tensor.of(bm, 96), base.wDec(), base.bDec());
    float[] x = s.data().data();
    double lambda = 0.7;

    GatedLoss dense = new GatedLoss(v, 0.8, 0.0);
    GatedLoss sparse = new GatedLoss(v, 0.8, 1.0);
    GatedLoss.Result ref = dense.evaluate(p, Tensor.of(x, 257, 24), lambda);
    float[] flat = new float[(int) p.size()];
    LossSums ls = sparse.accumulate(p, x, 257, 100, lambda, flat);

    assertEquals(257, ls.rows());
    assertEquals(ref.loss().l0(), ls.l0(), "L0 counts are exact");
    assertClose("mse", new double[] {ref.loss().mse()}, new double[] {ls.mse()}, 1e-5);
    assertClose("l1", new double[] {ref.loss().l1()}, new double[] {ls.l1()}, 1e-5);
    assertClose("aux", new double[] {ref.loss().aux()}, new double[] {ls.aux()}, 1e-5);
    SaeParameters g = SaeParameters.fromFlat(flat, 24, 96);
    for (String name : SaeParameters.NAMES) {
      assertClose(name, ref.gradientSum().get(name).toDoubleArray(), g.get(name).toDoubleArray(), 1e-5);
    }
  }
}
