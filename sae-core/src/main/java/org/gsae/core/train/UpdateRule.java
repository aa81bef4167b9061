package org.gsae.core.train;

import java.util.Objects;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.optim.DecoderConstraint;
import org.gsae.core.optim.GradientClipping;
import org.gsae.core.optim.Optimizer;

/**
 * What the driver does with a step's mean gradient (docs/architecture.md §6): clip by global norm,
 * remove the decoder-parallel component (PAPER variant), apply the optimiser at the scheduled
 * learning rate, renormalise decoder rows (PAPER variant). Shared by the local and the
 * distributed trainer so they cannot drift apart.
 */
public final class UpdateRule {
  private final TrainConfig config;
  private final Optimizer optimizer;

  public UpdateRule(TrainConfig config, Optimizer optimizer) {
    this.config = Objects.requireNonNull(config, "config");
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
  }

  /**
   * Updates {@code params} in place for step index {@code t} (0-based). {@code meanGrad}
   * belongs to the rule from here on: it is clipped and its {@code W_dec} projected in place.
   *
   * @return global norm of {@code meanGrad} before clipping
   */
  public double apply(SaeParameters params, SaeParameters meanGrad, long t) {
    double normBefore = GradientClipping.clipInPlace(meanGrad, config.clipGradNorm());
    boolean unit = config.variant().unitNormDecoder();
    if (unit) {
      DecoderConstraint.removeParallelComponentInPlace(meanGrad, params.wDec());
    }
    optimizer.step(params, meanGrad, Schedules.learningRate(config, t));
    if (unit) {
      DecoderConstraint.renormalizeRows(params);
    }
    return normBefore;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public TrainConfig config() {
    return config;
  }
}
