package org.gsae.core.metrics;

import static org.gsae.core.metrics.Partitions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ReconstructionMetricsProperties {

  /** x [rows, n] with values in [-10, 10] around a per-dimension offset, some rows all zero. */
  private static float[] inputs(int rows, int n, Random rnd) {
    float[] offset = new float[n];
    for (int i = 0; i < n; i++) {
      offset[i] = (float) (rnd.nextGaussian() * 5);
    }
    float[] x = new float[rows * n];
    for (int r = 0; r < rows; r++) {
      boolean zeroRow = rnd.nextInt(8) == 0;
      for (int i = 0; i < n; i++) {
        x[r * n + i] = zeroRow ? 0f : offset[i] + (float) (rnd.nextDouble() * 20 - 10);
      }
    }
    return x;
  }

  /** x_hat = 0.9 x + noise, with some rows all zero. */
  private static float[] reconstructions(float[] x, int rows, int n, Random rnd) {
    float[] h = new float[x.length];
    for (int r = 0; r < rows; r++) {
      boolean zeroRow = rnd.nextInt(8) == 0;
      for (int i = 0; i < n; i++) {
        h[r * n + i] = zeroRow ? 0f : 0.9f * x[r * n + i] + (float) rnd.nextGaussian();
      }
    }
    return h;
  }

  @Property(tries = 300)
  void mergingRandomBlocksInARandomTreeEqualsOneInstance(@ForAll @IntRange(min = 0, max = 40) int rows,
      @ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] x = inputs(rows, n, rnd);
    float[] h = reconstructions(x, rows, n, rnd);
    ReconstructionMetrics whole = new ReconstructionMetrics(n).add(x, h, rows);

    int[] cuts = Partitions.cuts(rows, rnd);
    List<ReconstructionMetrics> parts = new ArrayList<>();
    for (int b = 0; b + 1 < cuts.length; b++) {
      parts.add(new ReconstructionMetrics(n).add(Partitions.rows(x, n, cuts[b], cuts[b + 1]),
          Partitions.rows(h, n, cuts[b], cuts[b + 1]), cuts[b + 1] - cuts[b]));
    }
    ReconstructionMetrics merged = Partitions.mergeRandomTree(parts, ReconstructionMetrics::merge, rnd);

    assertSame(whole, merged);
    assertMatchesDirectComputation(whole, x, h, rows, n);
  }

  private static void assertSame(ReconstructionMetrics expected, ReconstructionMetrics actual) {
    assertEquals(expected.rows(), actual.rows());
    assertEquals(expected.cosineSkippedRows(), actual.cosineSkippedRows());
    assertClose(expected.sumSquaredError(), actual.sumSquaredError(), "sse");
    assertClose(expected.sumSquaredNorm(), actual.sumSquaredNorm(), "sum ||x||^2");
    assertClose(expected.sumReconstructionSquaredNorm(), actual.sumReconstructionSquaredNorm(), "sum ||x_hat||^2");
    assertClose(expected.sumDot(), actual.sumDot(), "sum x.x_hat");
    assertClose(expected.sumSquaredDeviation(), actual.sumSquaredDeviation(), "sum ||x - mean||^2");
    double[] em = expected.mean();
    double[] am = actual.mean();
    for (int i = 0; i < em.length; i++) {
      assertClose(em[i], am[i], "mean[" + i + "]");
    }
    ReconstructionResult e = expected.result();
    ReconstructionResult a = actual.result();
    assertClose(e.mse(), a.mse(), "mse");
    assertClose(e.fvu(), a.fvu(), "fvu");
    assertClose(e.relativeReconstructionBias(), a.relativeReconstructionBias(), "gamma");
    assertClose(e.meanCosineSimilarity(), a.meanCosineSimilarity(), "cosine");
  }

  /** An independent two-pass computation over all rows at once. */
  private static void assertMatchesDirectComputation(ReconstructionMetrics m, float[] x, float[] h,
      int rows, int n) {
    double[] mean = new double[n];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < n; i++) {
        mean[i] += x[r * n + i];
      }
    }
    double sse = 0;
    double ss = 0;
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < n; i++) {
        double d = (double) x[r * n + i] - h[r * n + i];
        sse += d * d;
        double dev = x[r * n + i] - mean[i] / rows;
        ss += dev * dev;
      }
    }
    assertClose(sse, m.sumSquaredError(), "direct sse");
    assertClose(ss, m.sumSquaredDeviation(), "direct sum ||x - mean||^2");
    assertClose(ss == 0 ? Double.NaN : sse / ss, m.fvu(), "direct fvu");
  }
}
