package org.gsae.core.train;

/**
 * Learning-rate and sparsity-coefficient schedules as pure functions of the step index
 * {@code t} (0-based: the step about to be taken), so a resumed run sees the same values.
 */
public final class Schedules {
  private Schedules() {}

  /**
   * Linear warm-up from {@code lr / W} to {@code lr} over the first W steps, then constant or
   * cosine decay to {@code lr * lrEndRatio} at the last step.
   */
  public static double learningRate(TrainConfig c, long t) {
    long w = c.lrWarmupSteps();
    if (t < w) {
      return c.lr() * (t + 1) / w;
    }
    if (c.lrSchedule() == LrSchedule.CONSTANT) {
      return c.lr();
    }
    long decaySteps = Math.max(1, c.steps() - w - 1);
    double progress = Math.min(1.0, (double) (t - w) / decaySteps);
    double end = c.lr() * c.lrEndRatio();
    return end + (c.lr() - end) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  /** Linear warm-up of lambda from {@code lambda / W} to {@code lambda} over W steps. */
  public static double sparsityCoefficient(TrainConfig c, long t) {
    long w = c.sparsityWarmupSteps();
    return t < w ? c.sparsityCoefficient() * (t + 1) / w : c.sparsityCoefficient();
  }
}
