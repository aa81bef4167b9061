package org.gsae.core.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.gsae.core.tensor.Backend;
import org.gsae.core.tensor.EncoderProduct;
import org.gsae.core.tensor.Tensor;
import org.gsae.core.train.LrSchedule;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.StepMetrics;
import org.gsae.core.train.TrainConfig;

/**
 * Times full training steps (forward, backward, clip, project, Adam, renorm) of the core
 * trainer on one batch of Gaussian activations, with {@code b_gate} calibrated so the mean
 * L0 is near a target and a tiny learning rate keeping it there (DESIGN §8, issue 6).
 */
public final class StepBenchmark {
  private StepBenchmark() {}

  /** Random activations [batch, n], seeded. */
  public static float[] batch(BenchSpec s) {
    SplittableRandom rng = new SplittableRandom(s.seed());
    float[] x = new float[s.batch() * s.dIn()];
    for (int i = 0; i < x.length; i++) {
      double u1 = Math.max(rng.nextDouble(), 1e-300);
      x[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble()));
    }
    return x;
  }

  /**
   * Initial parameters whose gates open for about {@code targetL0} features per row of
   * {@code x}: per feature, {@code b_gate} is minus the k-th largest encoder pre-activation
   * over the batch with k = targetL0 * B / m, and {@code b_mag = b_gate} so every open gate has
   * a positive magnitude. targetL0 = 0 opens every gate.
   */
  public static SaeParameters calibrated(BenchSpec s, float[] x) {
    SaeParameters p = SaeInit.initialize(s.dIn(), s.dSae(), s.seed(), null);
    int m = s.dSae();
    float[] bias = new float[m];
    if (s.targetL0() == 0 || (long) s.targetL0() >= m) {
      Arrays.fill(bias, 1e3f);
    } else {
      int k = (int) Math.max(1, Math.round((double) s.targetL0() * s.batch() / m));
      float[][] top = new float[m][k];
      for (float[] t : top) {
        Arrays.fill(t, Float.NEGATIVE_INFINITY);
      }
      float[] row = new float[m];
      try (EncoderProduct prod = new EncoderProduct(s.dIn(), m)) {
        prod.setWeights(p.wEnc().toFloatArray());
        prod.multiply(x, s.batch());   // b_dec = 0, so x_c = x
        for (int b = 0; b < s.batch(); b++) {
          prod.row(b, row);
          for (int j = 0; j < m; j++) {
            float[] t = top[j];
            if (row[j] > t[0]) {   // t[0] is the smallest of the k kept values
              t[0] = row[j];
              Arrays.sort(t);
            }
          }
        }
      }
      for (int j = 0; j < m; j++) {
        bias[j] = -top[j][0] + 1e-6f;
      }
    }
    return new SaeParameters(p.wEnc(), Tensor.of(bias, m), p.rMag(), Tensor.of(bias.clone(), m),
        p.wDec(), p.bDec());
  }

  /** Runs the benchmark on the core trainer and measures the SGEMM floor with the same threads. */
  public static BenchResult run(BenchSpec s) {
    Backend.setBlasThreads(s.threads());   // the step's GEMMs and its workers share the threads
    float[] x = batch(s);
    GatedSae sae = new GatedSae(calibrated(s, x), 1.0);
    TrainConfig cfg = new TrainConfig(Variant.PAPER, Long.MAX_VALUE / 2, s.batch(), 1e-9, 0,
        LrSchedule.CONSTANT, 0.1, 1e-6, 0, 1.0, 0.0, 0.999, 1e-8, 1.0, s.seed(), false, 0, 1);
    SaeTrainer t = new SaeTrainer(sae, cfg, s.chunkRows(),
        new org.gsae.core.loss.GatedLoss(Variant.PAPER, 1.0, s.denseAbove())).withThreads(s.threads());
    for (int i = 0; i < s.warmup(); i++) {
      t.trainStep(x, s.batch());
    }
    double[] secs = new double[s.steps()];
    double l0 = 0;
    long heap;
    long nat;
    try (MemoryPeaks peaks = new MemoryPeaks()) {
      for (int i = 0; i < s.steps(); i++) {
        long t0 = System.nanoTime();
        StepMetrics m = t.trainStep(x, s.batch());
        secs[i] = (System.nanoTime() - t0) / 1e9;
        l0 += m.l0() / s.steps();
      }
      heap = peaks.peakHeap();
      nat = peaks.peakNative();
    }
    double median = median(secs);
    double gemm = Backend.sgemmSeconds(s.batch(), s.dIn(), s.dSae(), 1, 3);
    return new BenchResult("core", s, median, s.batch() / median, s.floorFlops() / median / 1e9, l0,
        gemm, heap, nat);
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
  }
}
