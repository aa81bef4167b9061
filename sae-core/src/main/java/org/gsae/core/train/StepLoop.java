package org.gsae.core.train;

import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.gsae.core.error.Errors;

/**
 * The training loop, the same for every {@link Trainer}: take step {@code t}'s rows, run the
 * step, refuse a diverged one, hand its metrics on.
 */
public final class StepLoop {
  private StepLoop() {}

  /**
   * Runs steps until {@code trainer.step()} reaches {@code untilStep}.
   *
   * @param rowsOf    the rows of step index {@code t} (0-based)
   * @param afterStep called after every step with its metrics (checkpoints, progress, ...)
   * @throws org.gsae.core.error.GsaeException USAGE when a step's loss or gradient norm is not
   *     finite, before {@code afterStep} sees it (so no diverged state is checkpointed)
   */
  public static <B> void run(Trainer<B> trainer, long untilStep, LongFunction<B> rowsOf,
      Consumer<StepMetrics> afterStep) {
    while (trainer.step() < untilStep) {
      StepMetrics m = trainer.step(rowsOf.apply(trainer.step()));
      requireFinite(m);
      afterStep.accept(m);
    }
  }

  private static void requireFinite(StepMetrics m) {
    if (!Double.isFinite(m.total()) || !Double.isFinite(m.gradNorm())) {
      throw Errors.usage("training diverged at step " + m.step() + ": loss=" + m.total()
          + ", gradient norm=" + m.gradNorm(), "train step " + m.step(),
          "lower train.lr, set train.clip_grad_norm (e.g. 1.0), or check the input scale");
    }
  }
}
