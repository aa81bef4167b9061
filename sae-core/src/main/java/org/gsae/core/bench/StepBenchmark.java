package org.gsae.core.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gsae.core.loss.GatedLoss;
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
 * L0 is near a target and a tiny learning rate keeping it there (docs/architecture.md §8, issue 6).
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

  /**
   * A trainer (one thread) on {@link #calibrated} parameters for batch {@code x}, with a
   * learning rate of 1e-9 so L0 stays where the calibration put it while steps are timed.
   */
  public static SaeTrainer trainer(BenchSpec s, float[] x) {
    TrainConfig cfg = new TrainConfig(Variant.PAPER, Long.MAX_VALUE / 2, s.batch(), 1e-9, 0,
        LrSchedule.CONSTANT, 0.1, 1e-6, 0, 1.0, 0.0, 0.999, 1e-8, 1.0, s.seed(), false, 0, 1);
    return new SaeTrainer(new GatedSae(calibrated(s, x), 1.0), cfg, s.chunkRows(),
        new GatedLoss(Variant.PAPER, 1.0, s.denseAbove()));
  }

  /**
   * The core trainer prepared on the benchmark batch (calibrated parameters, a tiny learning
   * rate), ready to time steps one at a time, for example interleaved with another path's steps.
   */
  public static final class CoreSteps {
    private final BenchSpec spec;
    private final float[] x;
    private final SaeTrainer trainer;
    private double lastL0;

    public CoreSteps(BenchSpec s) {
      this.spec = s;
      this.x = batch(s);
      this.trainer = trainer(s, x).withThreads(s.threads());
    }

    /** One training step with the spec's threads (BLAS included); returns its wall seconds. */
    public double step() {
      Backend.setBlasThreads(spec.threads());
      long t0 = System.nanoTime();
      StepMetrics m = trainer.trainStep(x, spec.batch());
      double secs = (System.nanoTime() - t0) / 1e9;
      lastL0 = m.l0();
      return secs;
    }

    /** L0 of the last step. */
    public double lastL0() {
      return lastL0;
    }

    /**
     * Seconds of the encoder SGEMM alone over the batch (in chunks, as the step runs it), with
     * the spec's threads, into the step's own preallocated buffers (the pooled
     * {@link EncoderProduct}, so the measurement adds no memory).
     */
    public double floorSeconds() {
      Backend.setBlasThreads(spec.threads());
      EncoderProduct prod = EncoderProduct.acquire(spec.dIn(), spec.dSae());
      try {
        prod.setWeights(trainer.model().parameters().wEnc().floatView());
        float[] chunk = new float[spec.chunkRows() * spec.dIn()];
        double secs = 0;
        for (int from = 0; from < spec.batch(); from += spec.chunkRows()) {
          int rows = Math.min(spec.chunkRows(), spec.batch() - from);
          System.arraycopy(x, from * spec.dIn(), chunk, 0, rows * spec.dIn());
          long t0 = System.nanoTime();
          prod.multiply(chunk, rows);
          secs += (System.nanoTime() - t0) / 1e9;
        }
        return secs;
      } finally {
        prod.release();
      }
    }
  }

  /**
   * Runs the benchmark on the core trainer. Each timed step is followed by one timing of the
   * SGEMM floor with the same threads, so step and floor come from the same few seconds (this
   * host's speed drifts by more than the quantities compared); the result's fraction of the
   * floor is the median of the per-step fractions.
   */
  public static BenchResult run(BenchSpec s) {
    CoreSteps core = new CoreSteps(s);
    for (int i = 0; i < s.warmup(); i++) {
      core.step();
    }
    double[] secs = new double[s.steps()];
    double[] floors = new double[s.steps()];
    double l0 = 0;
    long heap;
    long nat;
    try (MemoryPeaks peaks = new MemoryPeaks()) {
      for (int i = 0; i < s.steps(); i++) {
        secs[i] = core.step();
        l0 += core.lastL0() / s.steps();
        floors[i] = core.floorSeconds();
      }
      heap = peaks.peakHeap();
      nat = peaks.peakNative();
    }
    double median = median(secs);
    double[] fractions = new double[s.steps()];
    for (int i = 0; i < s.steps(); i++) {
      fractions[i] = floors[i] / secs[i];
    }
    // The floor whose ratio to the median step is the median per-step fraction.
    double gemm = median * median(fractions);
    return new BenchResult("core", s, median, s.batch() / median, s.floorFlops() / median / 1e9,
        l0, gemm, heap, nat);
  }

  /** Median of {@code v} (mean of the middle two for an even length). */
  public static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
  }
}
