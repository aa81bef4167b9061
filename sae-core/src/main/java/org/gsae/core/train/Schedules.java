package org.gsae.core.train;

/**
 * The learning-rate schedule as a pure function of the step index
 * {@code t} (0-based: the step about to be taken), so a resumed run sees the same values. The
 * lambda warm-up is {@link #sparsityCoefficient}, applied to the model's own lambda.
 */
public final class Schedules {
  private Schedules() {}

  /**
   * Linear warm-up: step {@code t} (0-based) of the first W runs at {@code lr * (t + 1) / W},
   * so the first step runs at {@code lr / W} and step {@code W - 1} at {@code lr} (SAELens's rule;
   * gated-sae-tf's warm-up starts at 0 instead, which wastes the first step). Then constant, or
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

  /**
   * The sparsity coefficient of step index {@code t}: {@code target} (the model's lambda)
   * ramped up linearly over {@code train.sparsity_warmup_steps}.
   */
  public static double sparsityCoefficient(TrainConfig c, double target, long t) {
    long w = c.sparsityWarmupSteps();
    return t < w ? target * (t + 1) / w : target;
  }
}
